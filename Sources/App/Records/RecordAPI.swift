import Vapor
import WellplanCore

/// `/api/v1/<kind>`: paginated list, get, create, replace and delete for every kind of record.
struct RecordAPI<R: Record>: RouteCollection {
    static var kind: RecordKind { R.kind }

    func boot(routes: any RoutesBuilder) throws {
        let path = PathComponent(stringLiteral: Self.kind.path)
        routes.get(path, use: list)
        routes.post(path, use: create)
        routes.get(path, ":id", use: get)
        routes.put(path, ":id", use: replace)
        routes.delete(path, ":id", use: delete)
    }

    struct ListBody<Item: Encodable>: Encodable, AsyncResponseEncodable {
        struct Metadata: Encodable {
            let page: Int
            let per: Int
            let total: Int
        }
        let items: [Item]
        let metadata: Metadata

        func encodeResponse(for request: Request) async throws -> Response { try jsonResponse(self) }
    }

    @Sendable func list(req: Request) async throws -> Response {
        try await req.authorize(.read, .record(Self.kind, owningTable: nil))
        let (page, per) = try Paging.from(req)
        var filters: [String: UUID] = [:]
        for field in Self.kind.fields {
            guard case .reference = field.kind, let text = req.query[String.self, at: field.name] else { continue }
            guard let id = UUID(uuidString: text) else {
                throw WellplanError.invalid([FieldProblem(field.name, "error_not_reference")])
            }
            filters[field.name] = id
        }
        let store = Records(db: req.sql)
        let items = try await store.list(R.self, filters: filters, limit: per, offset: (page - 1) * per)
        let total = try await store.count(Self.kind, filters: filters)
        return try jsonResponse(ListBody(items: items, metadata: .init(page: page, per: per, total: total)))
    }

    @Sendable func get(req: Request) async throws -> Response {
        try await req.authorize(.read, .record(Self.kind, owningTable: nil))
        return try jsonResponse(try await req.record(R.self))
    }

    @Sendable func create(req: Request) async throws -> Response {
        try await req.authorizeSome(.create, Self.kind)
        let record = try RecordInput.parse(R.self, json: try req.jsonObject(), id: UUID())
        let table = try await RecordScope.owningTable(of: record, Records(db: req.sql))
        try await req.authorize(.create, .record(Self.kind, owningTable: table))
        try await RecordWriter(db: req.db, author: req.author).create(record)
        let response = try jsonResponse(record, status: .created)
        response.headers.replaceOrAdd(name: .location, value: SiteURL.apiRecord(Self.kind, record.id).path)
        return response
    }

    @Sendable func replace(req: Request) async throws -> Response {
        let before = try await req.authorizedRecord(R.self, .update)
        let store = Records(db: req.sql)
        let record = try RecordInput.parse(R.self, json: try req.jsonObject(), id: before.id)
        try await req.authorize(
            .update, .record(Self.kind, owningTable: try await RecordScope.owningTable(of: record, store)))
        try await RecordWriter(db: req.db, author: req.author).update(record, before: before)
        return try jsonResponse(record)
    }

    @Sendable func delete(req: Request) async throws -> Response {
        let record = try await req.authorizedRecord(R.self, .delete)
        try await RecordWriter(db: req.db, author: req.author).delete(record)
        return Response(status: .noContent)
    }

}

/// JSON with stable key order, the API's one encoder.
func jsonResponse(_ value: some Encodable, status: HTTPStatus = .ok) throws -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let response = Response(status: status, body: .init(data: try encoder.encode(value)))
    response.headers.contentType = .json
    return response
}
