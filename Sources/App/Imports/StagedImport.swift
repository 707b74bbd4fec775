import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import SQLKit
import Synchronization

/// How a long import writes without holding the database: its rows go first to temporary tables shaped
/// like the tables they are for (`staged_<table>`), on a connection of the import's own, a piece at a time;
/// no one else sees them, a crash leaves nothing of them, and on SQLite they take no lock on the database,
/// so readers, sign-ins and other writers go on and the job's progress is written between pieces. Then
/// `move` carries them into their tables in one short transaction: all or nothing, as before.
struct StagedImport {
    /// The import's own connection; pieces are written to it in the background (`insert`), so it is reached
    /// through `database()`, which waits for them.
    private let sql: any SQLDatabase
    /// The same connection, to which staged rows go straight (`insert`).
    let connection: OwnConnection.Driver
    /// The piece being written while the import reads the next.
    private let writing = Writing()

    /// What a staged row does when its table already holds one with the same key.
    enum OnConflict {
        /// The row already there stays as it is (an incident imported before).
        case keep(key: [String])
        /// The row already there takes the staged row's values (a figure given again).
        case replace(key: [String], columns: [String])
    }

    static func staged(_ table: String) -> String { "staged_" + table }

    /// A row an import writes: its columns, and its values in their order.
    protocol Row {
        static var columns: [String] { get }
        var values: [Value] { get }
    }

    /// A value as the database keeps it, its kind known where the row is written rather than found by a
    /// cast for each value (SQLKit's encoder casts every one: a tenth of an incident import).
    enum Value {
        case text(String?)
        case number(Double?)
        /// On SQLite kept as its text.
        case id(UUID?)
    }

    /// Writes rows into a staging table, in the background: the import reads its next piece while the
    /// database writes this one (the database works on a thread of its own, so on two cores the reading is
    /// nearly free). An error in writing is thrown by the next `insert` or by `move`. On SQLite each piece's
    /// statement is written once and its values bound straight to the connection: SQLKit's statement builder
    /// and encoder were a quarter of an incident import. On PostgreSQL they are copied in (`COPY FROM`), as
    /// text, with no statement at all.
    func insert(_ rows: [some Row], into table: String) async throws {
        guard let first = rows.first else { return }
        let columns = type(of: first).columns
        switch connection {
        case .sqlite(let sqlite):
            let statements = Self.statements(rows, columns, into: table)
            try await writing.next {
                for (statement, binds) in statements { _ = try await sqlite.query(statement, binds) }
            }
        case .postgres(let postgres):
            // Few, large copies: pieces are gathered into copies of several megabytes (a copy for each quarter-
            // megabyte piece took Toronto's incidents 2.3–2.8 s; gathered, and with files kept uncompressed, 1.9–2.1 s).
            guard let copy = writing.gather(Self.copyText(rows), into: table, columns) else { return }
            try await writing.next { try await Self.copy(copy, on: postgres) }
        }
    }

    /// Waits for the pieces still being written, and writes those gathered; throws what writing them threw.
    func written() async throws {
        try await writing.finish()
        guard case .postgres(let postgres) = connection else { return }
        for copy in writing.gathered() { try await Self.copy(copy, on: postgres) }
    }

    private static func copy(_ copy: Writing.Copy, on postgres: PostgresConnection) async throws {
        try await postgres.copyFrom(table: copy.table, columns: copy.columns, logger: postgres.logger) { writer in
            for buffer in copy.buffers { try await writer.write(buffer) }
        }
    }

    /// The import's own connection, once every piece given to it is written.
    func database() async throws -> any SQLDatabase {
        try await written()
        return sql
    }

    /// One statement for each thousand rows, with its values.
    private static func statements(
        _ rows: [some Row], _ columns: [String], into table: String
    ) -> [(String, [SQLiteData])] {
        pieces(rows).map { piece in
            let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ",") + ")"
            let statement =
                "INSERT INTO \"\(table)\" (\(columns.map { "\"\($0)\"" }.joined(separator: ",")))"
                + " VALUES " + Array(repeating: tuple, count: piece.count).joined(separator: ",")
            var binds: [SQLiteData] = []
            binds.reserveCapacity(piece.count * columns.count)
            for row in rows[piece] {
                for value in row.values { binds.append(value.sqlite) }
            }
            return (statement, binds)
        }
    }

    /// The rows in PostgreSQL's text format, in buffers of at most about a megabyte.
    private static func copyText(_ rows: [some Row]) -> [ByteBuffer] {
        var buffers: [ByteBuffer] = []
        var buffer = ByteBuffer()
        for row in rows {
            for (n, value) in row.values.enumerated() {
                if n > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
                value.copyText(into: &buffer)
            }
            buffer.writeInteger(UInt8(ascii: "\n"))
            if buffer.readableBytes >= 1 << 20 {
                buffers.append(buffer)
                buffer = ByteBuffer()
            }
        }
        if buffer.readableBytes > 0 { buffers.append(buffer) }
        return buffers
    }

    /// The piece a staged import is writing: one at a time, in order.
    private final class Writing: Sendable {
        private let pending = Mutex<Task<Void, any Error>?>(nil)

        /// Rows in PostgreSQL's text format for one table, to be copied in together.
        struct Copy: Sendable {
            let table: String
            let columns: [String]
            var buffers: [ByteBuffer] = []
            var bytes: Int { buffers.reduce(0) { $0 + $1.readableBytes } }
        }

        private let copies = Mutex<[String: Copy]>([:])
        private static let copyBytes = 8 << 20

        /// Adds rows to their table's copy; gives the copy back to be written once it is large enough.
        func gather(_ buffers: [ByteBuffer], into table: String, _ columns: [String]) -> Copy? {
            copies.withLock { copies in
                copies[table, default: Copy(table: table, columns: columns)].buffers += buffers
                guard let copy = copies[table], copy.bytes >= Self.copyBytes else { return nil }
                copies[table] = nil
                return copy
            }
        }

        /// The copies not yet given back, by table.
        func gathered() -> [Copy] {
            copies.withLock { copies in
                defer { copies = [:] }
                return copies.values.sorted { $0.table < $1.table }
            }
        }

        /// Waits for the piece before, then starts `write`.
        func next(_ write: @escaping @Sendable () async throws -> Void) async throws {
            try await finish()
            pending.withLock { $0 = Task(operation: write) }
        }

        func finish() async throws {
            let task = pending.withLock { pending in
                defer { pending = nil }
                return pending
            }
            try await task?.value
        }
    }

    /// Writes rows into a table through SQLKit, a thousand a statement. With `ignoring`, a row whose key is
    /// already there is left out.
    static func insert(
        _ rows: [some Row], into table: String, ignoring key: [String]? = nil, on sql: any SQLDatabase
    ) async throws {
        let postgres = sql.isPostgres
        for piece in pieces(rows) {
            var insert = sql.insert(into: table).columns(type(of: rows[piece.startIndex]).columns)
            for row in rows[piece] {
                insert = insert.values(row.values.map { $0.bound(postgres: postgres) })
            }
            if let key { insert = insert.ignoringConflicts(with: key) }
            try await insert.run()
        }
    }

    /// A thousand rows a statement: well under SQLite's limit of 32,766 values and PostgreSQL's 65,535.
    private static func pieces(_ rows: [some Row]) -> [Range<Int>] {
        stride(from: 0, to: rows.count, by: 1_000).map { $0..<min($0 + 1_000, rows.count) }
    }

    /// Runs `body` with staging tables for `tables`, dropped afterwards whatever happens. They carry no index:
    /// each import keeps its staged rows unique itself, and writing an index in no order was the slowest
    /// part of staging.
    static func run<T: Sendable>(
        _ store: Settings.Store, pooled db: any Database, tables: [String],
        _ body: @escaping @Sendable (StagedImport) async throws -> T
    ) async throws -> T {
        try await OwnConnection.run(store, pooled: db) { sql, connection in
            let staging = StagedImport(sql: sql, connection: connection)
            try await staging.drop(tables)
            do {
                for table in tables {
                    try await sql.raw(
                        "CREATE TEMPORARY TABLE \(ident: staged(table)) AS SELECT * FROM \(ident: table) WHERE 1 = 0"
                    ).run()
                }
                let result = try await body(staging)
                try await staging.written()
                try await staging.dropOnPostgres(tables)
                return result
            } catch {
                try? await staging.written()
                try? await staging.dropOnPostgres(tables)
                throw error
            }
        }
    }

    /// On SQLite the import's connection is closed next, which throws its temporary tables away whole:
    /// dropping them first cleared and journaled every page of them (8 % of a million incidents' import).
    /// On PostgreSQL the connection goes back to the pool with them.
    private func dropOnPostgres(_ tables: [String]) async throws {
        if case .postgres = connection { try await drop(tables) }
    }

    private func drop(_ tables: [String]) async throws {
        for table in tables.reversed() { try await sql.raw("DROP TABLE IF EXISTS \(ident: Self.staged(table))").run() }
    }

    /// Moves a table's staged rows into it, inside the transaction `move` gives; returns how many rows the
    /// table gained. Rows come in the order of `orderedBy`, so that the index they are sorted for is written
    /// from one end to the other rather than at random. With `referencing`, a staged row whose column names
    /// no row of that table is left out.
    @discardableResult
    static func move(
        _ table: String, _ onConflict: OnConflict?, orderedBy order: [String] = [],
        referencing reference: (column: String, table: String)? = nil, on sql: any SQLDatabase
    ) async throws -> Int {
        let before = try await count(table, sql)
        let rebuilt = try await indexesToRebuild(table, before: before, on: sql)
        for index in rebuilt { try await sql.raw("DROP INDEX \(ident: index.name)").run() }
        var statement = "INSERT INTO \(table) SELECT * FROM \(staged(table)) WHERE 1 = 1"
        if let reference { statement += " AND \(reference.column) IN (SELECT id FROM \(reference.table))" }
        if !order.isEmpty { statement += " ORDER BY " + order.joined(separator: ", ") }
        switch onConflict {
        case .keep(let key): statement += " ON CONFLICT (\(key.joined(separator: ", "))) DO NOTHING"
        case .replace(let key, let columns):
            let set = columns.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
            statement += " ON CONFLICT (\(key.joined(separator: ", "))) DO UPDATE SET \(set)"
        case nil: break
        }
        try await sql.raw(SQLQueryString(statement)).run()
        for index in rebuilt { try await sql.raw(SQLQueryString(index.definition)).run() }
        return try await count(table, sql) - before
    }

    /// On SQLite, the indexes a move is quicker to drop and make again than to write row by row: when it
    /// brings at least as many rows as the table holds, sorting the whole table once beats inserting each
    /// staged row at a random place (a million incidents, keys already in order: 18 s of moving down to 12 s).
    /// Only plain indexes: those behind unique keys decide conflicts. On PostgreSQL dropping an index would
    /// lock readers out until the move commits, so none is.
    private static func indexesToRebuild(
        _ table: String, before: Int, on sql: any SQLDatabase
    ) async throws -> [(name: String, definition: String)] {
        guard !sql.isPostgres, try await count(staged(table), sql) >= before else { return [] }
        let rows = try await sql.raw(
            """
            SELECT m.name, m.sql FROM sqlite_master m JOIN pragma_index_list(\(bind: table)) l ON l.name = m.name
            WHERE m.type = 'index' AND l."unique" = 0 AND m.sql IS NOT NULL ORDER BY m.name
            """
        ).all()
        return try rows.map {
            (try $0.decode(column: "name", as: String.self), try $0.decode(column: "sql", as: String.self))
        }
    }

    /// One short write transaction on the import's connection, for the move and its audit entry.
    func move<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await written()
        return try await OwnConnection.writeTransaction(sql, body)
    }

    static func count(_ table: String, _ sql: any SQLDatabase) async throws -> Int {
        try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table).first()?.decode(
            column: "n", as: Int.self) ?? 0
    }
}

extension StagedImport.Value {
    var sqlite: SQLiteData {
        switch self {
        case .text(let text): text.map { .text($0) } ?? .null
        case .number(let number): number.map { .float($0) } ?? .null
        case .id(let id): id.map { .text($0.text) } ?? .null
        }
    }

    /// The value in PostgreSQL's text format for `COPY`: `\N` for null, and a backslash before the
    /// backslash, tab, newline and carriage return that would otherwise end a value or a row.
    func copyText(into buffer: inout ByteBuffer) {
        switch self {
        case .text(nil), .number(nil), .id(nil): buffer.writeStaticString("\\N")
        case .text(let text?):
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
                case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
                case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
                case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
                default: buffer.writeInteger(byte)
                }
            }
        case .number(let number?): buffer.writeString("\(number)")
        case .id(let id?): buffer.writeString(id.text)
        }
    }

    func bound(postgres: Bool) -> any SQLExpression {
        switch self {
        case .text(let text): SQLBind(text)
        case .number(let number): SQLBind(number)
        case .id(let id): postgres ? SQLBind(id) : SQLBind(id?.text)
        }
    }
}
