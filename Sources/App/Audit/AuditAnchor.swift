import Foundation
import SQLKit
import Vapor
import WellplanCore

/// The audit log's newest entry as last seen, kept in a file outside the database and signed with the audit
/// key where one is set. Each entry's hash covers the one before it, so the head vouches for the whole log
/// up to it: a log cut short below it, or edited and chained anew, no longer holds it, and
/// `wellplan audit verify` says so. Someone who can write the database but not this file (nor, with a key,
/// sign) cannot rewrite history unseen.
///
/// It is written after changes commit, never inside a transaction that could still roll back: by the server
/// every couple of seconds when the log has grown, and by every command as it ends.
struct AuditAnchor: Codable, Equatable, Sendable {
    var seq: Int
    var hash: String
    var at: Timestamp
    /// HMAC of `seq:hash` with the audit key; nil when the server has none.
    var signature: String?

    private var message: Data { Data("\(seq):\(hash)".utf8) }

    static func read(_ file: URL) throws -> AuditAnchor? {
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        return try JSONDecoder().decode(AuditAnchor.self, from: Data(contentsOf: file))
    }

    /// What is wrong with the log against the anchor, or nil when it holds the anchored head (or there is none).
    static func problem(on db: any SQLDatabase, file: URL, key: AuditKey?) async throws -> String? {
        guard let anchor = try read(file) else { return nil }
        return try await anchor.problem(on: db, file: file, key: key)
    }

    private func problem(on db: any SQLDatabase, file: URL, key: AuditKey?) async throws -> String? {
        if let key, !key.verifies(signature ?? "", of: message) {
            return "the anchor \(file.path) is not signed with this server's audit key"
        }
        let held = try await db.select().column("hash").from("audit_entries").where("seq", .equal, SQLBind(seq))
            .first()?.decode(column: "hash", as: String.self)
        guard held == hash else {
            return
                "the audit log no longer holds entry \(seq) as it was at \(at) (\(file.path)): it was cut short or chained anew"
        }
        return nil
    }

    /// Moves the anchor to the log's newest entry, if the log still holds the anchored one. A log that does not
    /// is left as evidence (and the caller told): only a restore starts the anchor anew.
    @discardableResult
    static func advance(on db: any SQLDatabase, file: URL, key: AuditKey?, at now: Timestamp) async throws
        -> String?
    {
        let anchor = try read(file)
        if let problem = try await anchor?.problem(on: db, file: file, key: key) { return problem }
        guard let head = try await head(on: db), head.seq != anchor?.seq else { return nil }
        try write(head, to: file, key: key, at: now)
        return nil
    }

    /// After a restore, whose log replaces the one anchored: the anchor starts from the restored log's head.
    static func restart(on db: any SQLDatabase, file: URL, key: AuditKey?, at now: Timestamp) async throws {
        if let head = try await head(on: db) { try write(head, to: file, key: key, at: now) }
    }

    private static func head(on db: any SQLDatabase) async throws -> (seq: Int, hash: String)? {
        guard
            let row = try await db.select().columns("seq", "hash").from("audit_entries").orderBy("seq", .descending)
                .limit(1).first()
        else { return nil }
        return (try row.decode(column: "seq", as: Int.self), try row.decode(column: "hash", as: String.self))
    }

    private static func write(_ head: (seq: Int, hash: String), to file: URL, key: AuditKey?, at now: Timestamp) throws
    {
        var anchor = AuditAnchor(seq: head.seq, hash: head.hash, at: now, signature: nil)
        anchor.signature = key?.sign(anchor.message)
        // Written whole beside the old one, then renamed over it, so a crash never leaves half an anchor.
        let partial = file.appendingPathExtension("partial")
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try JSONEncoder().encode(anchor).write(to: partial)
        guard rename(partial.path, file.path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path])
        }
    }
}

/// Keeps the anchor up with the log: every two seconds in a server, once as any command ends.
struct AuditAnchorKeeper: LifecycleHandler {
    let loop = BackgroundTask()

    func didBootAsync(_ app: Application) async throws {
        guard let file = app.settings.auditAnchor, app.settings.runsJobs, app.environment != .testing else { return }
        let db = app.jobsDatabase.sql, key = app.settings.auditKey, logger = app.logger, clock = app.clock
        loop.start {
            var warned = false
            while !Task.isCancelled {
                do {
                    if let problem = try await AuditAnchor.advance(on: db, file: file, key: key, at: clock.now), !warned
                    {
                        logger.critical("audit log: \(problem)")
                        warned = true
                    }
                } catch {
                    logger.warning("audit anchor not written: \(error)")
                }
                try? await Task.sleep(for: .seconds(2))
            }
        }
    }

    func shutdownAsync(_ app: Application) async {
        await loop.stop()
        guard let file = app.settings.auditAnchor, app.environment != .testing else { return }
        if let problem = try? await AuditAnchor.advance(
            on: app.db.sql, file: file, key: app.settings.auditKey, at: app.clock.now)
        {
            app.logger.critical("audit log: \(problem)")
        }
    }
}
