import Vapor
import WellplanCore

/// What every page and API route does first with the record its path names: find it, and check that the
/// reader may do what they ask to it, which its owning table decides (`RecordScope`).
extension Request {
    /// The record the path's `:id` names, or a 404 naming its kind.
    func record<R: Record>(_ type: R.Type) async throws -> R {
        guard let id = parameters.get("id", as: UUID.self), let record = try await Records(db: sql).find(R.self, id)
        else {
            throw WellplanError.notFound(R.kind.rawValue)
        }
        return record
    }

    /// The record the path's `:id` names, once the reader may do `action` to it.
    func authorizedRecord<R: Record>(_ type: R.Type, _ action: Action) async throws -> R {
        try await authorizeSome(action, R.kind)
        let record = try await record(R.self)
        let table = try await RecordScope.owningTable(of: record, Records(db: sql))
        try await authorize(action, .record(R.kind, owningTable: table))
        return record
    }

    /// The body as a JSON object; anything else is a 415 or a 400 that says what was wrong.
    func jsonObject() throws -> [String: JSONValue] {
        guard headers.contentType == .json else { throw Abort(.unsupportedMediaType) }
        guard let buffer = body.data,
            case .object(let object)? = try? JSONValue(parsing: buffer.readableBytesView)
        else { throw WellplanError.invalid([FieldProblem("body", "error_not_json_object")]) }
        return object
    }
}
