import Fluent
import Foundation
import SQLKit
import WellplanCore

/// A whole-database copy as JSON lines, the same on SQLite and PostgreSQL, so a backup taken
/// from one restores into the other. Sessions, sign-in attempts and jobs are not kept.
enum Backup {
    struct ApiToken: Codable, Sendable {
        var id: UUID
        var userId: UUID
        var tokenHash: String
        var label: String?
        var createdAt: Timestamp
    }

    struct Line: Codable {
        var table: String
        var row: JSONValue
    }

    /// Tables in an order that satisfies every foreign key on restore.
    static var tables: [(name: String, type: any Codable.Type, order: String)] {
        [
        ("users", User.self, "id"), ("api_tokens", ApiToken.self, "id"),
    ] + RecordKind.restoreOrder.map { ($0.table, $0.recordType, "id") } + [
        ("status_changes", StatusTimeline.Entry.self, "id"), ("plan_versions", PlanVersion.self, "id"),
        ("audit_entries", AuditEntry.self, "seq"),
        ]
    }

    static let header = #"{"format":"wellplan-backup","version":1}"#

    static func write(to url: URL, db: any SQLDatabase, progress: (Double, String) async -> Void) async throws -> Int {
        FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600])
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.write(contentsOf: Data((header + "\n").utf8))
        var rows = 0
        for (index, table) in tables.enumerated() {
            await progress(Double(index) / Double(tables.count), table.name)
            func dump<T: Codable>(_ type: T.Type) async throws {
                var offset = 0
                while true {
                    let batch = try await db.select().column("*").from(table.name).orderBy(table.order).limit(1000).offset(offset)
                        .all(decoding: T.self, with: RecordStore.decoder)
                    var chunk = Data()
                    for row in batch {
                        chunk += Data(#"{"table":"\#(table.name)","row":"#.utf8) + Data(AuditLog.json(row).utf8) + Data("}\n".utf8)
                    }
                    try handle.write(contentsOf: chunk)
                    rows += batch.count
                    offset += batch.count
                    if batch.count < 1000 { break }
                }
            }
            try await dump(table.type)
        }
        await progress(1, "done")
        return rows
    }

    /// Replaces everything with the backup's contents, or changes nothing if any line is wrong.
    static func restore(from url: URL, db: any Database, progress: @escaping @Sendable (Double, String) async -> Void) async throws -> Int {
        let text = try String(contentsOf: url, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        guard lines.first.map(String.init) == header else {
            throw WellplanError.invalid([FieldProblem("line 1", "error_not_a_backup")])
        }
        lines.removeFirst()
        let known = Dictionary(uniqueKeysWithValues: tables.map { ($0.name, $0.type) })
        var parsed: [(String, Row)] = []
        for (index, line) in lines.enumerated() {
            let place = "line \(index + 2)"
            guard let envelope = try? JSONDecoder().decode(Line.self, from: Data(line.utf8)), let type = known[envelope.table] else {
                throw WellplanError.invalid([FieldProblem(place, "error_malformed")])
            }
            func decode<T: Codable>(_ type: T.Type) throws -> any Codable {
                try JSONDecoder().decode(T.self, from: JSONEncoder().encode(envelope.row))
            }
            do { parsed.append((envelope.table, Row(value: try decode(type)))) } catch {
                throw WellplanError.invalid([FieldProblem(place, "error_malformed")])
            }
        }
        let rows = parsed
        try await db.transaction { tx in
            for table in tables.reversed() { try await tx.sql.delete(from: table.name).run() }
            for (index, (table, row)) in rows.enumerated() {
                try await tx.sql.insert(into: table).model(row.value, with: RecordStore.encoder).run()
                if index % 500 == 0 { await progress(Double(index) / Double(max(1, rows.count)), table) }
            }
        }
        await progress(1, "done")
        return parsed.count
    }
}

/// A decoded row of any table, ready to insert.
struct Row: @unchecked Sendable {
    let value: any Encodable
}

/// Any JSON value, to carry a row through the backup envelope untouched.
enum JSONValue: Codable, Sendable {
    case string(String), number(Double), bool(Bool), null, array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        case .number(let n): try c.encode(n)
        case .bool(let b): try c.encode(b)
        case .null: try c.encodeNil()
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }
}

extension RecordKind {
    /// Parents before children.
    static let restoreOrder: [RecordKind] = [
        .plan, .organization, .person, .partnerTable, .membership, .priority, .recommendation, .goal,
        .project, .projectPartner, .activity, .output, .actionItem,
    ]
}

/// `wellplan backup FILE` and the backup button run this job.
enum BackupJob: JobKind {
    static let name = "backup"

    static func run(_ context: JobContext) async throws -> String? {
        let url = URL(fileURLWithPath: context.job.payload)
        let rows = try await Backup.write(to: url, db: context.db.sql) { fraction, table in
            await context.report(fraction, table)
        }
        return "\(rows) rows → \(url.lastPathComponent)"
    }
}
