import Foundation
import SQLKit

/// The tables the database itself says it holds, with their columns, keys and references: read from
/// SQLite's pragmas or PostgreSQL's catalogue, so that whatever reads every table (the backup, its tests)
/// covers a table a migration adds without anyone listing it.
struct DatabaseCatalogue: Sendable {
    /// What a column holds, in terms both databases share.
    enum ColumnType: String, Codable, Sendable {
        case text, uuid, integer, boolean, double, bytes, json, timestamp
    }

    struct Column: Sendable, Equatable {
        let name: String
        let type: ColumnType
        let isNullable: Bool
        let hasDefault: Bool
    }

    struct Table: Sendable {
        let name: String
        let columns: [Column]
        let primaryKey: [String]
        /// The tables its foreign keys name (itself included, if it refers to its own rows).
        let references: Set<String>

        func column(_ name: String) -> Column? { columns.first { $0.name == name } }
    }

    /// Every table, each after the tables it refers to, so that inserting in this order (and deleting in
    /// the reverse) satisfies every foreign key.
    let tables: [Table]

    func table(_ name: String) -> Table? { tables.first { $0.name == name } }

    /// A table the catalogue cannot describe in shared terms, said plainly.
    struct Unreadable: Error, CustomStringConvertible {
        let description: String
    }

    static func read(_ db: any SQLDatabase) async throws -> DatabaseCatalogue {
        let tables = db.isPostgres ? try await postgresTables(db) : try await sqliteTables(db)
        return DatabaseCatalogue(tables: try dependencyOrder(tables))
    }

    // MARK: SQLite

    private static func sqliteTables(_ db: any SQLDatabase) async throws -> [Table] {
        let names = try await db.raw(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        ).all().map { try $0.decode(column: "name", as: String.self) }
        var tables: [Table] = []
        for name in names {
            var columns: [Column] = []
            var key: [(Int, String)] = []
            for row in try await db.raw(
                "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(\(bind: name))"
            ).all() {
                let column = try row.decode(column: "name", as: String.self)
                let declared = try row.decode(column: "type", as: String.self)
                guard let type = sqliteType(declared) else {
                    throw Unreadable(
                        description: "\(name).\(column) has the type \(declared), which the backup does not know")
                }
                let position = try row.decode(column: "pk", as: Int.self)
                if position > 0 { key.append((position, column)) }
                columns.append(
                    Column(
                        name: column, type: type,
                        isNullable: try row.decode(column: "notnull", as: Int.self) == 0 && position == 0,
                        hasDefault: try row.decode(column: "dflt_value", as: String?.self) != nil))
            }
            let references = try await db.raw("SELECT \"table\" FROM pragma_foreign_key_list(\(bind: name))").all()
                .map { try $0.decode(column: "table", as: String.self) }
            tables.append(
                Table(
                    name: name, columns: columns, primaryKey: key.sorted { $0.0 < $1.0 }.map(\.1),
                    references: Set(references)))
        }
        return tables
    }

    /// SQLite keeps the type a migration declared, as Fluent wrote it.
    private static func sqliteType(_ declared: String) -> ColumnType? {
        switch declared.uppercased() {
        case "TEXT", "VARCHAR", "CHAR": .text
        case "UUID": .uuid
        case "INTEGER", "INT", "BIGINT", "SMALLINT": .integer
        case "BOOLEAN", "BOOL": .boolean
        case "DOUBLE", "REAL", "FLOAT": .double
        case "BLOB": .bytes
        case "JSON": .json
        default: nil
        }
    }

    // MARK: PostgreSQL

    private static func postgresTables(_ db: any SQLDatabase) async throws -> [Table] {
        let rows = try await db.raw(
            """
            SELECT c.table_name, c.column_name, c.data_type, c.is_nullable, c.column_default
            FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
            ORDER BY c.table_name, c.ordinal_position
            """
        ).all()
        var columns: [String: [Column]] = [:]
        var order: [String] = []
        for row in rows {
            let table = try row.decode(column: "table_name", as: String.self)
            let name = try row.decode(column: "column_name", as: String.self)
            let declared = try row.decode(column: "data_type", as: String.self)
            guard let type = postgresType(declared) else {
                throw Unreadable(
                    description: "\(table).\(name) has the type \(declared), which the backup does not know")
            }
            if columns[table] == nil { order.append(table) }
            columns[table, default: []].append(
                Column(
                    name: name, type: type, isNullable: try row.decode(column: "is_nullable", as: String.self) == "YES",
                    hasDefault: try row.decode(column: "column_default", as: String?.self) != nil))
        }
        var keys: [String: [String]] = [:]
        for row in try await db.raw(
            """
            SELECT k.table_name, k.column_name
            FROM information_schema.table_constraints c
            JOIN information_schema.key_column_usage k
              ON k.constraint_schema = c.constraint_schema AND k.constraint_name = c.constraint_name AND k.table_name = c.table_name
            WHERE c.table_schema = current_schema() AND c.constraint_type = 'PRIMARY KEY'
            ORDER BY k.table_name, k.ordinal_position
            """
        ).all() {
            keys[try row.decode(column: "table_name", as: String.self), default: []].append(
                try row.decode(column: "column_name", as: String.self))
        }
        var references: [String: Set<String>] = [:]
        for row in try await db.raw(
            """
            SELECT source.relname AS from_table, target.relname AS to_table
            FROM pg_constraint con
            JOIN pg_class source ON source.oid = con.conrelid
            JOIN pg_class target ON target.oid = con.confrelid
            JOIN pg_namespace n ON n.oid = source.relnamespace
            WHERE con.contype = 'f' AND n.nspname = current_schema()
            """
        ).all() {
            references[try row.decode(column: "from_table", as: String.self), default: []].insert(
                try row.decode(column: "to_table", as: String.self))
        }
        return order.map { name in
            Table(
                name: name, columns: columns[name] ?? [], primaryKey: keys[name] ?? [],
                references: references[name] ?? [])
        }
    }

    private static func postgresType(_ declared: String) -> ColumnType? {
        switch declared {
        case "text", "character varying", "character": .text
        case "uuid": .uuid
        case "bigint", "integer", "smallint": .integer
        case "boolean": .boolean
        case "double precision", "real": .double
        case "bytea": .bytes
        case "jsonb", "json": .json
        case "timestamp with time zone", "timestamp without time zone": .timestamp
        default: nil
        }
    }

    // MARK: Order

    /// Parents before children; tables with no order between them stay in alphabetical order, so the
    /// same database always gives the same order. A cycle of foreign keys has no such order and is said.
    static func dependencyOrder(_ tables: [Table]) throws -> [Table] {
        let known = Set(tables.map(\.name))
        var placed: [Table] = []
        var done: Set<String> = []
        var waiting = tables.sorted { $0.name < $1.name }
        while !waiting.isEmpty {
            let ready = waiting.firstIndex { table in
                table.references.intersection(known).subtracting([table.name]).isSubset(of: done)
            }
            guard let next = ready else {
                throw Unreadable(
                    description: "the foreign keys of \(waiting.map(\.name).joined(separator: ", ")) form a cycle")
            }
            let table = waiting.remove(at: next)
            placed.append(table)
            done.insert(table.name)
        }
        return placed
    }
}
