import Fluent
import Foundation
import SQLKit
import Synchronization
import WellplanCore

/// Reads and writes records with plain SQL that SQLite and PostgreSQL both speak.
/// Writes go through `RecordWriter`, which adds the audit entry and the status timeline.
struct Records {
    let db: any SQLDatabase

    static let encoder = SQLQueryEncoder(keyEncodingStrategy: .convertToSnakeCase, nilEncodingStrategy: .asNil)
    static let decoder = SQLRowDecoder(
        keyDecodingStrategy: .custom({ path in SomeCodingKey(stringValue: ColumnName.of(path.last!.stringValue)) }))

    /// A coding key's column. SQLKit's snake-case strategy converts each key of each row anew (12% of the
    /// plan page's time in a profile); this converts each key once, by SQLKit's own rule through its
    /// encoder, so reads and writes name a column alike.
    enum ColumnName {
        private static let known = Mutex<[String: String]>([:])

        static func of(_ key: String) -> String {
            if let column = known.withLock({ $0[key] }) { return column }
            struct OneKey: Encodable {
                let key: String
                func encode(to encoder: any Encoder) throws {
                    var container = encoder.container(keyedBy: SomeCodingKey.self)
                    try container.encodeNil(forKey: SomeCodingKey(stringValue: key))
                }
            }
            let column = (try? Records.encoder.encode(OneKey(key: key)).first?.0) ?? key
            known.withLock { $0[key] = column }
            return column
        }
    }

    func find<R: Record>(_ type: R.Type, _ id: UUID) async throws -> R? {
        try await db.select().column("*").from(R.kind.table).where("id", .equal, SQLBind(id)).first()
            .map(Self.record)
    }

    /// A record from its row, each field read through its key path as its own type (no Codable record).
    static func record<R: Record>(_ row: any SQLRow) throws -> R {
        var record = R.blank
        record.id = try row.decode(column: "id", as: UUID.self)
        let columns = Columns(row: row)
        for field in R.fields { try field.load(into: &record, from: columns) }
        return record
    }

    private struct Columns: ColumnReader {
        let row: any SQLRow
        func value<T: Decodable>(_ column: String, as type: T.Type) throws -> T {
            try row.decode(column: column, as: T.self)
        }
    }

    /// - Parameter filters: reference fields by name (`planId`) and the id they must hold.
    /// - Parameter among: a reference field and the ids it may hold (`measureId` in the dashboard's measures).
    func list<R: Record>(
        _ type: R.Type, filters: [String: UUID] = [:], among: (field: String, ids: [UUID])? = nil, limit: Int? = nil,
        offset: Int = 0
    ) async throws -> [R] {
        if let among, among.ids.isEmpty { return [] }
        var query = db.select().column("*").from(R.kind.table)
        if let among {
            query = query.where(SQLIdentifier(RecordField.snakeCase(among.field)), in: among.ids)
        }
        for (field, id) in filters.sorted(by: { $0.key < $1.key }) {
            query = query.where(SQLIdentifier(RecordField.snakeCase(field)), .equal, SQLBind(id))
        }
        for column in R.listColumns { query = query.orderBy(SQLIdentifier(column)) }
        query = query.orderBy("id")
        if let limit { query = query.limit(limit).offset(offset) }
        return try await query.all().map(Self.record)
    }

    func count(_ kind: RecordKind, filters: [String: UUID] = [:]) async throws -> Int {
        var query = db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(kind.table)
        for (field, id) in filters {
            query = query.where(SQLIdentifier(RecordField.snakeCase(field)), .equal, SQLBind(id))
        }
        return try await query.first()?.decode(column: "n", as: Int.self) ?? 0
    }

    func exists(_ kind: RecordKind, _ id: UUID) async throws -> Bool {
        try await db.select().column("id").from(kind.table).where("id", .equal, SQLBind(id)).first() != nil
    }

    /// Records of a kind by id, a few hundred ids a statement (every database limits bound values).
    func records(_ kind: RecordKind, _ ids: some Collection<UUID>) async throws -> [any Record] {
        let ids = Array(ids)
        func open<R: Record>(_ type: R.Type) async throws -> [any Record] {
            var found: [any Record] = []
            for start in stride(from: 0, to: ids.count, by: 500) {
                found += try await list(R.self, among: ("id", Array(ids[start..<min(start + 500, ids.count)])))
            }
            return found
        }
        return try await open(kind.recordType)
    }

    /// A field's stored value as SQL: a type that says how it is stored (a tag set: one text) says so itself.
    static func column(_ value: any Encodable & Sendable) -> any SQLExpression {
        (value as? any SQLExpression) ?? SQLBind(value)
    }

    func insert<R: Record>(_ record: R) async throws {
        let values = R.fields.map { Self.column($0.storedValue(in: record)) }
        try await db.insert(into: R.kind.table).columns(["id"] + R.fields.map(\.column))
            .values([SQLBind(record.id) as any SQLExpression] + values).run()
    }

    func update<R: Record>(_ record: R) async throws {
        var update = db.update(R.kind.table)
        for field in R.fields {
            update = update.set(SQLIdentifier(field.column), to: Self.column(field.storedValue(in: record)))
        }
        try await update.where("id", .equal, SQLBind(record.id)).run()
    }

    func delete(_ kind: RecordKind, _ id: UUID) async throws {
        try await db.delete(from: kind.table).where("id", .equal, SQLBind(id)).run()
    }

    /// Problems with the references a record holds: each must name an existing record.
    func referenceProblems(_ record: some Record) async throws -> [FieldProblem] {
        let values = record.values
        var problems: [FieldProblem] = []
        for field in type(of: record).descriptions {
            let (kind, ids): (RecordKind?, [UUID]) =
                switch (field.kind, values[field.name]) {
                case (.reference(let kind), .reference(let id)?): (kind, [id])
                case (.references(let kind), .references(let ids)?): (kind, ids)
                default: (nil, [])
                }
            guard let kind else { continue }
            for id in ids where try await !exists(kind, id) {
                problems.append(FieldProblem(field.name, "error_reference_not_found", [id.uuidString]))
            }
        }
        return problems
    }

    /// How many records of each kind still point at this one.
    func referrers(to kind: RecordKind, _ id: UUID) async throws -> [(RecordKind, Int)] {
        var found: [(RecordKind, Int)] = []
        for other in RecordKind.allCases {
            for field in other.fields where field.kind == .reference(kind) {
                let n = try await count(other, filters: [field.name: id])
                if n > 0 { found.append((other, n)) }
            }
            for field in other.fields where field.kind == .references(kind) {
                let n =
                    try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(other.table)
                    .where(SQLIdentifier(field.column), .like, SQLBind("%\(id.uuidString)%")).first()?.decode(
                        column: "n", as: Int.self) ?? 0
                if n > 0 { found.append((other, n)) }
            }
        }
        return found
    }
}

extension TagSet: SQLExpression {
    /// Stored as one comma-separated text column.
    public func serialize(to serializer: inout SQLSerializer) {
        SQLBind(joined).serialize(to: &serializer)
    }
}
