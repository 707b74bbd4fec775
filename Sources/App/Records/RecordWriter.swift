import Fluent
import Foundation
import SQLKit
import WellplanCore

/// The one way records are created, changed and deleted: references checked, the change,
/// its status-timeline entry and its audit entry written in one transaction.
struct RecordWriter {
    let db: any Database
    let author: Author

    func create<R: Record>(_ record: R) async throws {
        try await db.writeTransaction { tx in
            let store = Records(db: tx.sql)
            try await Self.checkReferences(record, store)
            try await Self.checkInputs(record, store)
            try await Self.checkIdentifiers(record, tx.sql)
            try await Self.refusing("error_duplicate") { try await store.insert(record) }
            if let status = record.statusCode {
                try await StatusTimeline.add(on: tx.sql, R.kind, record.id, from: nil, to: status, author)
            }
            try await AuditLog.append(
                on: tx.sql, author, "create", R.kind.rawValue, recordId: record.id.uuidString,
                after: AuditLog.kept(record))
        }
    }

    /// Replaces a stored record; `before` is the version the caller checked permissions against.
    func update<R: Record>(_ record: R, before: R) async throws {
        guard record != before else { return }
        try Self.checkTransition(record, before: before)
        try await db.writeTransaction { tx in
            let store = Records(db: tx.sql)
            try await Self.checkReferences(record, store)
            try await Self.checkInputs(record, store)
            try await Self.checkIdentifiers(record, tx.sql)
            try await Self.refusing("error_duplicate") { try await store.update(record) }
            if let new = record.statusCode, new != before.statusCode {
                try await StatusTimeline.add(on: tx.sql, R.kind, record.id, from: before.statusCode, to: new, author)
            }
            try await AuditLog.append(
                on: tx.sql, author, "update", R.kind.rawValue, recordId: record.id.uuidString,
                before: AuditLog.kept(before, changedTo: record), after: AuditLog.kept(record, changedFrom: before))
        }
    }

    func delete<R: Record>(_ record: R) async throws {
        try await db.writeTransaction { tx in
            let store = Records(db: tx.sql)
            let referrers = try await store.referrers(to: R.kind, record.id)
            if !referrers.isEmpty { throw WellplanError.conflict("error_still_referenced") }
            // Rows outside the record kinds (a plan's published versions) may still point at it too.
            try await Self.refusing("error_still_referenced") { try await store.delete(R.kind, record.id) }
            try await AuditLog.append(
                on: tx.sql, author, "delete", R.kind.rawValue, recordId: record.id.uuidString,
                before: AuditLog.kept(record))
        }
    }

    /// A write the database refuses by one of its rules (two questions with one code in a consultation;
    /// deleting what something still points at) is a conflict to tell the writer about, not a server error.
    private static func refusing(_ key: String, _ write: () async throws -> Void) async throws {
        do {
            try await write()
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw WellplanError.conflict(key)
        }
    }

    /// A status moves only along its workflow's paths, where the kind has one.
    private static func checkTransition<R: Record>(_ record: R, before: R) throws {
        if let problem = record.statusProblem(since: before) { throw WellplanError.invalid([problem]) }
    }

    /// Text the public will read (a quote, what the plan did) passes the identifier guard first.
    private static func checkIdentifiers(_ record: some Record, _ sql: any SQLDatabase) async throws {
        guard !record.checkedTexts.isEmpty else { return }
        let problems = try await GuardedNames(db: sql).guardian().problems(in: record.checkedTexts)
        if !problems.isEmpty { throw WellplanError.invalid(problems) }
    }

    /// A record calculated from others of its kind (a measure from its inputs) is checked against them.
    private static func checkInputs<R: Record>(_ record: R, _ store: Records) async throws {
        guard !record.inputs.isEmpty else { return }
        let inputs = try await store.list(R.self, among: ("id", record.inputs))
        let problems = record.inputProblems(inputs)
        if !problems.isEmpty { throw WellplanError.invalid(problems) }
    }

    private static func checkReferences(_ record: some Record, _ store: Records) async throws {
        let problems = try await store.referenceProblems(record)
        if !problems.isEmpty { throw WellplanError.invalid(problems) }
    }
}

/// Every status a record has had, oldest first: the timeline on a project's page.
enum StatusTimeline {
    struct Entry: Codable, Sendable {
        var id: UUID
        var kind: String
        var recordId: UUID
        var fromStatus: String?
        var toStatus: String
        var at: Timestamp
        var actorLabel: String
    }

    static func add(on db: any SQLDatabase, _ kind: RecordKind, _ id: UUID, from: String?, to: String, _ author: Author)
        async throws
    {
        let entry = Entry(
            id: UUID(), kind: kind.rawValue, recordId: id, fromStatus: from, toStatus: to, at: author.now,
            actorLabel: author.label)
        try await db.insert(into: "status_changes").model(entry, with: Records.encoder).run()
    }

    static func entries(on db: any SQLDatabase, recordIds: [UUID]) async throws -> [Entry] {
        guard !recordIds.isEmpty else { return [] }
        return try await db.select().column("*").from("status_changes")
            .where("record_id", in: recordIds).orderBy("at").orderBy("id")
            .all(decoding: Entry.self, with: Records.decoder)
    }
}
