import Fluent
import Foundation
import SQLKit
import Vapor
import WellplanCore

/// Who made a change (a signed-in account, a job, the command line), and the clock the change is stamped by:
/// the request's or the job's, so that what is written at a moment is tested at a moment of the test's choosing.
struct Author: Sendable {
    let userId: UUID?
    let label: String
    let clock: Clock

    /// The command line runs in service, on the system's clock.
    static let commandLine = Author(userId: nil, label: "command line", clock: .system)

    /// The time a change is stamped with.
    var now: Timestamp { clock.now }
}

/// Appends to and checks the hash-chained audit log. Call `append` inside the transaction
/// that makes the change, so the change and its entry land together or not at all.
enum AuditLog {
    static func append(
        on db: any SQLDatabase, _ author: Author, _ action: String, _ subject: String,
        recordId: String? = nil, before: String? = nil, after: String? = nil
    ) async throws {
        // PostgreSQL: one writer at a time per chain; the primary key on seq guards SQLite and any slip.
        if db.isPostgres { try await db.raw("SELECT pg_advisory_xact_lock(727165)").run() }
        let last = try await db.select().columns("seq", "hash").from("audit_entries")
            .orderBy("seq", .descending).limit(1).first()
        let seq = try (last?.decode(column: "seq", as: Int.self) ?? 0) + 1
        let prev = try last?.decode(column: "hash", as: String.self) ?? AuditChain.genesisHash
        let entry = AuditEntry(
            seq: seq, at: author.now, actorId: author.userId, actorLabel: author.label, action: action,
            subject: subject, recordId: recordId, before: before, after: after, prevHash: prev)
        try await db.insert(into: "audit_entries").model(entry, with: Records.encoder).run()
    }

    /// Appends an entry in a write of its own: for reads of identifiable information, and for refusals,
    /// which an error that follows must not roll back.
    static func appendAlone(
        on db: any Database, _ author: Author, _ action: String, _ subject: String, recordId: String
    ) async throws {
        try await db.writeTransaction { tx in
            try await append(on: tx.sql, author, action, subject, recordId: recordId)
        }
    }

    static func page(on db: any SQLDatabase, limit: Int, offset: Int) async throws -> [AuditEntry] {
        try await db.select().column("*").from("audit_entries").orderBy("seq", .descending).limit(limit).offset(offset)
            .all(decoding: AuditEntry.self, with: Records.decoder)
    }

    /// The first broken link's sequence number, reading the log in pages so memory stays flat.
    static func firstBrokenLink(on db: any SQLDatabase) async throws -> (broken: Int?, checked: Int) {
        var verifier = AuditChain.Verifier()
        var offset = 0
        while true {
            let batch = try await db.select().column("*").from("audit_entries").orderBy("seq").limit(1000).offset(
                offset
            )
            .all(decoding: AuditEntry.self, with: Records.decoder)
            for entry in batch where !verifier.accept(entry) { return (entry.seq, verifier.checked) }
            if batch.count < 1000 { return (nil, verifier.checked) }
            offset += batch.count
        }
    }

    /// Whether the log still holds the entry recorded elsewhere as its head (in a backup): a log cut short
    /// below it, or chained anew from before it, does not.
    static func holds(_ head: BackupFile.AuditHead, on db: any SQLDatabase) async throws -> Bool {
        let hash = try await db.select().column("hash").from("audit_entries").where("seq", .equal, SQLBind(head.seq))
            .first()?
            .decode(column: "hash", as: String.self)
        return hash == head.hash
    }

    /// A record as the audit log keeps it: all its values, or for kinds whose values may later be
    /// redacted, only the names of the fields it holds (or that differ from `other`).
    static func kept<R: Record>(_ record: R, changedFrom other: R? = nil, changedTo: R? = nil) -> String {
        if R.auditKeepsValues { return json(record) }
        let values = record.values
        let compared = (other ?? changedTo)?.values
        let names = R.fields.map(\.name).filter { name in
            guard let compared else { return values[name] != nil }
            return values[name] != compared[name]
        }
        return json(["fields": names])
    }

    /// A value as the audit log keeps it: its JSON, keys sorted so equal records read the same.
    static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(value), as: UTF8.self)) ?? "{}"
    }
}

extension Request {
    /// Records a read of identifiable information, or a refused attempt at one, in a write of its own (so a
    /// refusal that follows does not roll it back).
    func audit(_ action: String, _ subject: String, _ record: UUID) async throws {
        try await AuditLog.appendAlone(on: db, author, action, subject, recordId: record.uuidString)
    }
}
