import Fluent
import Foundation
import SQLKit
import WellplanCore

/// The limited-identifying compartment of each accepted discussion (Filters 3 and 4): sealed with the
/// discussion's own key, every view and edit audited with its stated reason, shredded after conclusion.
/// Callers check `AccessPolicy` (`.compartment(assignedTo:)`) first; nothing here decides who may look.
struct Compartments {
    let db: any Database
    /// nil when the server has no master key: compartments stay locked, shredding still works.
    let cipher: CompartmentCipher?

    struct Row: Codable, Sendable {
        var discussionId: UUID
        var wrappedKey: Data?
        var ciphertext: Data
        var sealedAt: Timestamp
        var shredOn: Day?
        var shreddedAt: Timestamp?
    }

    enum State: Equatable {
        case empty, sealed, shredded
    }

    func row(_ discussion: UUID) async throws -> Row? {
        try await db.sql.select().column("*").from("discussion_compartments").where(
            "discussion_id", .equal, SQLBind(discussion)
        )
        .first(decoding: Row.self, with: Records.decoder)
    }

    func state(_ discussion: UUID) async throws -> State {
        guard let row = try await row(discussion) else { return .empty }
        return row.wrappedKey == nil ? .shredded : .sealed
    }

    /// Opens the identifiers for one reader, recording who looked and why.
    func read(_ discussion: SituationDiscussion, reason: String, _ author: Author) async throws -> LimitedIdentifiers {
        let reason = try Self.checked(reason)
        let cipher = try unlocked()
        // The view is recorded before anything is opened, so even a failed attempt leaves its trace.
        try await db.writeTransaction { tx in
            try await AuditLog.append(
                on: tx.sql, author, "view", "compartment", recordId: discussion.id.uuidString, after: Self.note(reason))
        }
        guard let row = try await row(discussion.id) else { return LimitedIdentifiers() }
        do {
            return try cipher.open(
                SealedCompartment(wrappedKey: row.wrappedKey, ciphertext: row.ciphertext), discussion: discussion.id)
        } catch .shredded {
            throw WellplanError.conflict("error_compartment_shredded")
        } catch {
            throw WellplanError.conflict("error_compartment_unreadable")
        }
    }

    /// Seals new identifiers for an accepted, not yet concluded discussion.
    func write(_ identifiers: LimitedIdentifiers, for discussion: SituationDiscussion, reason: String, _ author: Author)
        async throws
    {
        let reason = try Self.checked(reason)
        let cipher = try unlocked()
        let status = discussion.lifecycleStatus
        guard status.isOpen else {
            throw WellplanError.conflict(
                status == .concluded ? "error_transition_concluded" : "error_compartment_not_open")
        }
        try await db.writeTransaction { tx in
            let existing = try await Compartments(db: tx, cipher: cipher).row(discussion.id)
            if existing != nil, existing?.wrappedKey == nil {
                throw WellplanError.conflict("error_compartment_shredded")
            }
            let sealed = try cipher.seal(identifiers, discussion: discussion.id, wrappedKey: existing?.wrappedKey)
            let row = Row(
                discussionId: discussion.id, wrappedKey: sealed.wrappedKey, ciphertext: sealed.ciphertext,
                sealedAt: author.now)
            if existing == nil {
                try await tx.sql.insert(into: "discussion_compartments").model(row, with: Records.encoder).run()
            } else {
                try await tx.sql.update("discussion_compartments").set("ciphertext", to: SQLBind(row.ciphertext))
                    .set("sealed_at", to: SQLBind(row.sealedAt)).where("discussion_id", .equal, SQLBind(discussion.id))
                    .run()
            }
            // The entry names the fields that hold something, never their values.
            let filled = LimitedIdentifiers.fields.map(\.name).filter { identifiers.texts[$0] != nil }
            try await AuditLog.append(
                on: tx.sql, author, "edit", "compartment", recordId: discussion.id.uuidString,
                after: AuditLog.json(["reason": reason, "fields": filled.joined(separator: ",")]))
        }
    }

    /// Marks the compartment to be shredded on the given day (a job does it).
    func scheduleShredding(_ discussion: UUID, on day: Day) async throws {
        try await db.sql.update("discussion_compartments").set("shred_on", to: SQLBind(day))
            .where("discussion_id", .equal, SQLBind(discussion)).run()
    }

    /// Destroys the key of every compartment due by `day`; the ciphertext stays and can never be opened.
    func due(by day: Day) async throws -> [UUID] {
        try await db.sql.select().column("discussion_id").from("discussion_compartments")
            .where("shred_on", .lessThanOrEqual, SQLBind(day)).where("shredded_at", .is, SQLLiteral.null)
            .all().map { try $0.decode(column: "discussion_id", as: UUID.self) }
    }

    func shredDue(by day: Day, _ author: Author) async throws -> Int {
        let due = try await due(by: day)
        for id in due {
            try await db.writeTransaction { tx in
                try await tx.sql.update("discussion_compartments").set("wrapped_key", to: SQLLiteral.null)
                    .set("shredded_at", to: SQLBind(author.now)).where("discussion_id", .equal, SQLBind(id)).run()
                try await AuditLog.append(on: tx.sql, author, "shred", "compartment", recordId: id.uuidString)
            }
        }
        // On SQLite, `secure_delete` (set on every connection at start) overwrites the old key where it lay,
        // and the checkpoint moves that page into the file and empties the write-ahead log that still held the key.
        if !due.isEmpty, !db.sql.isPostgres { try await db.sql.raw("PRAGMA wal_checkpoint(TRUNCATE)").run() }
        return due.count
    }

    private func unlocked() throws -> CompartmentCipher {
        guard let cipher else { throw WellplanError.conflict("error_no_master_key") }
        return cipher
    }

    /// A reason is required, short, and itself free of identifiers: it goes into the audit log in plain text.
    static func checked(_ reason: String) throws -> String {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard reason.count >= 5 else { throw WellplanError.invalid([FieldProblem("reason", "error_reason_required")]) }
        guard reason.count <= 300 else {
            throw WellplanError.invalid([FieldProblem("reason", "error_too_long", ["300"])])
        }
        let problems = IdentifierGuard().problems(in: ["reason": reason])
        if !problems.isEmpty { throw WellplanError.invalid(problems) }
        return reason
    }

    private static func note(_ reason: String) -> String { AuditLog.json(["reason": reason]) }
}

/// Shreds every compartment whose day has come. Enqueued at each conclusion and once a day by the worker.
enum ShredJob: JobKind {
    static let name = "shred_compartments"

    static func run(_ context: JobContext) async throws -> String? {
        let n = try await Compartments(db: context.db, cipher: nil).shredDue(
            by: context.settings.clock.today, Author(userId: nil, label: "shredding job", clock: context.settings.clock)
        )
        await context.report(1, "\(n)")
        return String(n)
    }
}
