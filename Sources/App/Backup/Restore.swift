import Crypto
import Fluent
import Foundation
import SQLKit
import WellplanCore

extension Backup {
    /// Replaces everything with the backup's contents, or changes nothing. The file is read through once
    /// without writing (its end line, checksum, signature, and every value against the column it goes
    /// to), then again inside one transaction that empties the tables and fills them a batch at a time;
    /// memory stays flat both times. The restored audit log must end at the head the backup recorded.
    static func restore(
        from url: URL, db: any Database, auditKey: AuditKey?, author: Author = .commandLine,
        progress: @escaping @Sendable (Double, String) async -> Void
    ) async throws -> Summary {
        let target = try await DatabaseCatalogue.read(db.sql)
        let migrations = Set(try await Self.migrations(db.sql))
        let end = try await check(url, target: target, migrations: migrations, auditKey: auditKey)
        let expected = end.rows.values.reduce(0, +)
        return try await db.writeTransaction { tx in
            let sql = tx.sql
            let cleared = target.tables.filter { table in
                !exclusions.contains { $0.table == table.name && !$0.clearedOnRestore }
            }
            for table in cleared.reversed() { try await sql.delete(from: table.name).run() }
            var reader = try Reader(url, target: target)
            defer { reader.close() }
            var summary = Summary(rows: [:])
            var batch = Batch()
            while let item = try reader.next() {
                switch item {
                case .table(let table):
                    try await batch.flush(sql)
                    batch = Batch(table: table)
                    summary.rows[table.table.name] = 0
                    await progress(Double(summary.total) / Double(max(1, expected)), table.table.name)
                case .row(let values):
                    batch.rows.append(values)
                    batch.bytes += values.reduce(0) { $0 + $1.size }
                    summary.rows[batch.table!.table.name, default: 0] += 1
                    if batch.isFull {
                        try await batch.flush(sql)
                        await progress(Double(summary.total) / Double(max(1, expected)), batch.table!.table.name)
                    }
                case .end(let again):
                    // The file read twice must be the file checked.
                    guard again == end, reader.digest == end.sha256 else {
                        throw WellplanError.invalid([FieldProblem("file", "error_backup_changed")])
                    }
                }
            }
            try await batch.flush(sql)
            // Columns a migration derives from others are empty in a backup taken before it.
            try await M029_CountThemesFromCodings.placeInResponses(sql)
            let (broken, _) = try await AuditLog.firstBrokenLink(on: sql)
            let head = try await auditHead(sql)
            guard broken == nil, head == end.auditHead else {
                throw WellplanError.invalid([FieldProblem("audit_entries", "error_backup_audit_head")])
            }
            try await AuditLog.append(
                on: sql, author, "restore", "database", recordId: url.lastPathComponent,
                after: AuditLog.json(["sha256": end.sha256, "rows": String(summary.total)]))
            await progress(1, "done")
            return summary
        }
    }

    /// Reads the whole file without writing and returns its end line, or throws every reason it cannot be
    /// restored here: not a backup, cut short, damaged, unsigned, or of a shape this database does not have.
    /// Without `migrations`, the file is not checked against the migrations this database has run.
    static func check(
        _ url: URL, target: DatabaseCatalogue, migrations: Set<String>?, auditKey: AuditKey?
    ) async throws -> BackupFile.End {
        var reader = try Reader(url, target: target, migrations: migrations)
        defer { reader.close() }
        var counted: [String: Int] = [:]
        var current: String?
        var end: BackupFile.End?
        while let item = try reader.next() {
            switch item {
            case .table(let table):
                current = table.table.name
                counted[table.table.name] = 0
            case .row: counted[current!, default: 0] += 1
            case .end(let found): end = found
            }
        }
        guard let end else {
            throw WellplanError.invalid([FieldProblem("line \(reader.line)", "error_backup_incomplete")])
        }
        guard end.sha256 == reader.digest else {
            throw WellplanError.invalid([FieldProblem("file", "error_backup_checksum")])
        }
        var problems: [FieldProblem] = []
        for table in Set(end.rows.keys).union(counted.keys).sorted() where end.rows[table] != counted[table] {
            problems.append(
                FieldProblem(table, "error_backup_count", [String(counted[table] ?? 0), String(end.rows[table] ?? 0)]))
        }
        if !problems.isEmpty { throw WellplanError.invalid(problems) }
        if let auditKey, !end.isSigned(by: auditKey) {
            throw WellplanError.invalid([
                FieldProblem("file", end.signature == nil ? "error_backup_unsigned" : "error_backup_signature")
            ])
        }
        return end
    }

    /// Rows of one table waiting to be inserted together: as many as the statement's parameters allow,
    /// and no more than a few megabytes of them (photos and report files are large).
    struct Batch {
        var table: Reader.Table?
        var rows: [[BackupFile.Value]] = []
        var bytes = 0

        var isFull: Bool {
            guard let table else { return false }
            return rows.count >= max(1, 30_000 / max(1, table.columns.count)) || bytes >= 8 << 20
        }

        mutating func flush(_ sql: any SQLDatabase) async throws {
            guard let table, !rows.isEmpty else { return }
            var insert = sql.insert(into: table.table.name).columns(table.columns.map(\.name))
            for row in rows {
                insert = insert.values(zip(row, table.columns).map { value, column in Backup.bind(value, column, sql) })
            }
            try await insert.run()
            rows = []
            bytes = 0
        }
    }

    /// The file's lines read against the database restored into: each table's columns matched to its own,
    /// each row's values read as those columns' types. Problems name the line (and the column).
    struct Reader {
        struct Table {
            let table: DatabaseCatalogue.Table
            /// The backup's columns, in the file's order, as this database has them.
            let columns: [DatabaseCatalogue.Column]
        }

        enum Item {
            case table(Table)
            case row([BackupFile.Value])
            case end(BackupFile.End)
        }

        private var lines: LineReader
        private let target: DatabaseCatalogue
        private let migrations: Set<String>?
        private var hasher = SHA256()
        private var table: Table?
        private var seen: Set<String> = []
        private var ended = false
        private(set) var line = 0

        /// `migrations`, when given, are checked against the header's (the first reading); the second
        /// reading trusts the first.
        init(_ url: URL, target: DatabaseCatalogue, migrations: Set<String>? = nil) throws {
            lines = try LineReader(url)
            self.target = target
            self.migrations = migrations
        }

        var digest: String { Data(hasher.finalize()).hexadecimal }

        func close() { lines.close() }

        private func problem(_ key: String, _ values: [String] = []) -> WellplanError {
            .invalid([FieldProblem("line \(line)", key, values)])
        }

        mutating func next() throws -> Item? {
            guard let (bytes, hadBreak) = try lines.next() else {
                if line == 0 { throw problem("error_not_a_backup") }
                return nil
            }
            line += 1
            guard !ended else { throw problem("error_backup_after_end") }
            guard hadBreak else { throw problem("error_backup_incomplete") }
            if line == 1 {
                try header(bytes)
                hasher.update(data: Array(bytes) + [0x0A])
                return try next()
            }
            if bytes.first == UInt8(ascii: "[") {
                hasher.update(data: Array(bytes) + [0x0A])
                return .row(try row(bytes))
            }
            if let found = try? JSONDecoder().decode(BackupFile.EndLine.self, from: Data(bytes)) {
                ended = true
                return .end(found.end)
            }
            hasher.update(data: Array(bytes) + [0x0A])
            guard let given = try? JSONDecoder().decode(BackupFile.TableLine.self, from: Data(bytes)) else {
                throw problem("error_malformed")
            }
            return .table(try tableLine(given))
        }

        private func header(_ bytes: ArraySlice<UInt8>) throws {
            guard let header = try? JSONDecoder().decode(BackupFile.Header.self, from: Data(bytes)),
                header.format == BackupFile.format
            else {
                throw problem("error_not_a_backup")
            }
            guard header.version == BackupFile.version else {
                throw problem("error_backup_version", [String(header.version)])
            }
            if let migrations, let missing = header.migrations.first(where: { !migrations.contains($0) }) {
                throw problem("error_backup_newer", [missing])
            }
        }

        private mutating func tableLine(_ given: BackupFile.TableLine) throws -> Table {
            guard let table = target.table(given.table), !Backup.isExcluded(given.table), !seen.contains(given.table)
            else {
                throw problem("error_backup_unknown_table", [given.table])
            }
            seen.insert(given.table)
            var columns: [DatabaseCatalogue.Column] = []
            for column in given.columns {
                guard let own = table.column(column.name) else {
                    throw problem("error_backup_unknown_column", ["\(given.table).\(column.name)"])
                }
                columns.append(own)
            }
            let given = Set(columns.map(\.name))
            if let lacking = table.columns.first(where: { !given.contains($0.name) && !$0.isNullable && !$0.hasDefault }
            ) {
                throw problem("error_backup_missing_column", ["\(table.name).\(lacking.name)"])
            }
            let found = Table(table: table, columns: columns)
            self.table = found
            return found
        }

        private func row(_ bytes: ArraySlice<UInt8>) throws -> [BackupFile.Value] {
            guard let table else { throw problem("error_malformed") }
            let scalars: [BackupFile.Scalar]
            do { scalars = try BackupFile.scalars(bytes) } catch { throw problem("error_malformed") }
            guard scalars.count == table.columns.count else { throw problem("error_malformed") }
            return try zip(scalars, table.columns).map { scalar, column in
                guard let value = BackupFile.value(scalar, as: column) else {
                    throw problem("error_backup_value", ["\(table.table.name).\(column.name)"])
                }
                return value
            }
        }
    }
}

extension BackupFile.Value {
    /// About how many bytes the value takes, to keep a batch of rows small.
    var size: Int {
        switch self {
        case .null, .boolean: 1
        case .integer, .double: 8
        case .text(let s): s.utf8.count
        case .bytes(let data): data.count
        }
    }
}
