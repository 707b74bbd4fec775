import Crypto
import Fluent
import Foundation
import SQLKit
import WellplanCore

/// A whole-database copy, the same on SQLite and PostgreSQL so a backup taken from one restores into the
/// other. Which tables it holds is read from the database's own catalogue: every table is in the backup,
/// or among `exclusions` with the reason it is left out.
enum Backup {
    /// A table no backup holds, why, and whether a restore empties it (its rows belong to the database
    /// being replaced) or leaves it as it is.
    struct Exclusion: Sendable {
        let table: String
        let reason: String
        let clearedOnRestore: Bool
    }

    static let exclusions: [Exclusion] = [
        Exclusion(
            table: "_fluent_migrations",
            reason:
                "the schema's own record of its migrations: the header names them, and the database restored into keeps its own",
            clearedOnRestore: false),
        Exclusion(
            table: "sessions", reason: "sign-ins of the moment; after a restore everyone signs in again",
            clearedOnRestore: true),
        Exclusion(
            table: "sign_in_attempts", reason: "the sign-in throttle's recent failures, not the region's data",
            clearedOnRestore: true),
        Exclusion(
            table: "jobs",
            reason: "the work of the server that took the backup, which the server restored into does not take over",
            clearedOnRestore: true),
        Exclusion(
            table: "pending_imports", reason: "survey uploads waiting for their import job", clearedOnRestore: true),
        Exclusion(
            table: "incident_imports", reason: "incident files waiting for their import job", clearedOnRestore: true),
        Exclusion(
            table: "discussion_compartments",
            reason:
                "a backup is plaintext and identifiers never leave their compartment; restored discussions come back without one",
            clearedOnRestore: true),
    ]

    static func isExcluded(_ table: String) -> Bool { exclusions.contains { $0.table == table } }

    struct Summary: Sendable, Equatable {
        var rows: [String: Int]
        var total: Int { rows.values.reduce(0, +) }
    }

    // MARK: Writing

    /// Writes every table from one consistent snapshot, a page of rows at a time (memory stays flat), to a
    /// temporary name beside `url`, renamed to `url` once its end line is written: a backup stopped part way
    /// leaves no file that looks whole.
    static func write(
        to url: URL, db: any Database, store: Settings.Store, auditKey: AuditKey?, takenAt: Timestamp,
        pageSize: Int = 2_000, progress: @escaping @Sendable (Double, String) async -> Void
    ) async throws -> Summary {
        let partial = url.deletingLastPathComponent().appendingPathComponent("." + url.lastPathComponent + ".partial")
        try? FileManager.default.removeItem(at: partial)
        guard
            FileManager.default.createFile(atPath: partial.path, contents: nil, attributes: [.posixPermissions: 0o600])
        else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: partial.path])
        }
        let handle = try FileHandle(forWritingTo: partial)
        let output = HashingOutput(handle)
        do {
            let summary = try await ReadSnapshot.run(store, pooled: db) { sql in
                try await dump(
                    sql, into: output, auditKey: auditKey, takenAt: takenAt, pageSize: pageSize, progress: progress)
            }
            try handle.synchronize()
            try handle.close()
            if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
            try FileManager.default.moveItem(at: partial, to: url)
            await progress(1, "done")
            return summary
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
    }

    private static func dump(
        _ sql: any SQLDatabase, into output: HashingOutput, auditKey: AuditKey?, takenAt: Timestamp, pageSize: Int,
        progress: @escaping @Sendable (Double, String) async -> Void
    ) async throws -> Summary {
        let catalogue = try await DatabaseCatalogue.read(sql)
        let tables = catalogue.tables.filter { !isExcluded($0.name) }
        // A kept file goes with its owner: the files of an owner left out (an upload waiting for its import) are left out.
        let ownersLeftOut = catalogue.tables.filter { isExcluded($0.name) && $0.references.contains("stored_files") }
            .map(\.name)
        let header = BackupFile.Header(
            format: BackupFile.format, version: BackupFile.version, takenAt: takenAt.description,
            database: sql.isPostgres ? "postgresql" : "sqlite", migrations: try await migrations(sql))
        try output.write(try BackupFile.jsonLine(header))
        var expected = 0
        for table in tables { expected += try await count(table.name, sql) }
        var summary = Summary(rows: [:])
        for table in tables {
            await progress(Double(summary.total) / Double(max(1, expected)), table.name)
            guard !table.primaryKey.isEmpty else {
                throw DatabaseCatalogue.Unreadable(description: "\(table.name) has no primary key")
            }
            let columns = table.columns.map { BackupFile.TableLine.Column(name: $0.name, type: $0.type) }
            try output.write(try BackupFile.jsonLine(BackupFile.TableLine(table: table.name, columns: columns)))
            var rows = 0
            var after: [BackupFile.Value]?
            while true {
                let page = try await Self.page(table, after: after, limit: pageSize, leavingFilesOf: ownersLeftOut, sql)
                var chunk: [UInt8] = []
                for values in page { chunk += BackupFile.rowLine(values) }
                try output.write(chunk)
                rows += page.count
                guard page.count == pageSize, let last = page.last else { break }
                after = table.primaryKey.map { key in last[table.columns.firstIndex { $0.name == key }!] }
                await progress(Double(summary.total + rows) / Double(max(1, expected)), table.name)
            }
            summary.rows[table.name] = rows
        }
        var end = BackupFile.End(
            rows: summary.rows, sha256: output.digest, auditHead: try await auditHead(sql), signature: nil)
        end.signature = auditKey?.sign(end.signed)
        try output.write(try BackupFile.jsonLine(BackupFile.EndLine(end: end)))
        return summary
    }

    /// The next page of a table's rows in key order, after the key given: pages never skip or repeat a row,
    /// and inside the snapshot no row moves between them.
    private static func page(
        _ table: DatabaseCatalogue.Table, after: [BackupFile.Value]?, limit: Int, leavingFilesOf owners: [String],
        _ sql: any SQLDatabase
    ) async throws -> [[BackupFile.Value]] {
        let keys = table.primaryKey.map { SQLIdentifier($0) }
        var query = sql.select().columns(table.columns.map { SQLIdentifier($0.name) }).from(table.name)
        let fileColumn: String? =
            switch table.name {
            case "stored_files": "id"
            case "stored_file_chunks": "file_id"
            default: nil
            }
        if let fileColumn {
            for owner in owners {
                let owned = SQLSubquery.select {
                    $0.column("file_id").from(owner).where("file_id", .isNot, SQLLiteral.null)
                }
                query = query.where(SQLIdentifier(fileColumn), .notIn, owned)
            }
        }
        if let after {
            let bound = zip(table.primaryKey, after).map { name, value in bind(value, table.column(name)!, sql) }
            query = query.where(SQLBinaryExpression(SQLGroupExpression(keys), .greaterThan, SQLGroupExpression(bound)))
        }
        for key in keys { query = query.orderBy(key) }
        let postgres = sql.isPostgres
        return try await query.limit(limit).all().map { row in
            try table.columns.map { try value(row, $0, postgres: postgres) }
        }
    }

    /// A column's value as both databases can hold it.
    static func value(_ row: any SQLRow, _ column: DatabaseCatalogue.Column, postgres: Bool) throws -> BackupFile.Value
    {
        let name = column.name
        func read<T: Decodable>(_ type: T.Type, _ wrap: (T) -> BackupFile.Value) throws -> BackupFile.Value {
            try row.decode(column: name, as: T?.self).map(wrap) ?? .null
        }
        switch column.type {
        case .text, .json: return try read(String.self, BackupFile.Value.text)
        case .uuid where postgres: return try read(UUID.self) { .text($0.uuidString) }
        case .uuid: return try read(String.self, BackupFile.Value.text)
        case .integer: return try read(Int64.self, BackupFile.Value.integer)
        case .boolean: return try read(Bool.self, BackupFile.Value.boolean)
        case .double: return try read(Double.self, BackupFile.Value.double)
        case .bytes: return try read(Data.self, BackupFile.Value.bytes)
        case .timestamp:
            throw DatabaseCatalogue.Unreadable(
                description: "\(name) holds a time stamp, which backed-up tables keep as text")
        }
    }

    /// A value bound for a column of this database: a UUID where PostgreSQL keeps one, text where SQLite does.
    static func bind(_ value: BackupFile.Value, _ column: DatabaseCatalogue.Column, _ sql: any SQLDatabase)
        -> any SQLExpression
    {
        switch value {
        case .null: SQLLiteral.null
        case .text(let s) where column.type == .uuid && sql.isPostgres: SQLBind(UUID(uuidString: s)!)
        case .text(let s): SQLBind(s)
        case .integer(let n): SQLBind(n)
        case .double(let d): SQLBind(d)
        case .boolean(let b): SQLBind(b)
        case .bytes(let data): SQLBind(data)
        }
    }

    static func count(_ table: String, _ sql: any SQLDatabase) async throws -> Int {
        try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table).first()?.decode(
            column: "n", as: Int.self) ?? 0
    }

    static func migrations(_ sql: any SQLDatabase) async throws -> [String] {
        try await sql.select().column("name").from("_fluent_migrations").all().map {
            try $0.decode(column: "name", as: String.self)
        }.sorted()
    }

    static func auditHead(_ sql: any SQLDatabase) async throws -> BackupFile.AuditHead? {
        guard
            let row = try await sql.select().columns("seq", "hash").from("audit_entries").orderBy("seq", .descending)
                .limit(1).first()
        else {
            return nil
        }
        return BackupFile.AuditHead(
            seq: try row.decode(column: "seq", as: Int.self), hash: try row.decode(column: "hash", as: String.self))
    }
}

/// The backup file being written, hashed as it goes: the end line carries the digest of every byte before it.
final class HashingOutput: @unchecked Sendable {
    private let handle: FileHandle
    private var hasher = SHA256()

    init(_ handle: FileHandle) { self.handle = handle }

    func write(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        hasher.update(data: bytes)
        try handle.write(contentsOf: bytes)
    }

    var digest: String { Data(hasher.finalize()).hexadecimal }
}

/// `wellplan backup FILE` and the backup button run this job.
enum BackupJob: JobKind {
    static let name = "backup"

    static func run(_ context: JobContext) async throws -> String? {
        let url = URL(fileURLWithPath: context.job.payload)
        // A copy of everything identifiable leaves the database: the log says who asked, before the copy
        // is taken, so the backup carries its own entry.
        try await AuditLog.appendAlone(
            on: context.db, Author(userId: nil, label: context.job.createdBy, clock: context.settings.clock), "backup",
            "database",
            recordId: url.lastPathComponent)
        let summary = try await Backup.write(
            to: url, db: context.db, store: context.settings.store, auditKey: context.settings.auditKey,
            takenAt: context.settings.clock.now
        ) { fraction, table in
            await context.report(fraction, table)
        }
        return "\(summary.total) rows → \(url.lastPathComponent)"
    }
}
