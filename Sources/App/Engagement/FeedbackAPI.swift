import Vapor
import WellplanCore

/// `/api/v1/feedback-forms/:id/…`: results, and paper forms typed in.
struct FeedbackAPI: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("feedback-forms", ":id", "results", use: results)
        routes.post("feedback-forms", ":id", "submissions", use: enter)
    }

    @Sendable func results(req: Request) async throws -> Response {
        let form = try await req.authorizedRecord(FeedbackForm.self, .read)
        return try jsonResponse(
            try await FeedbackSubmissions(db: req.db, clock: req.clock).results(
                of: form, policy: req.application.settings.disclosure, audience: .partners))
    }

    /// A paper form typed in: `{"answers": {"<question id>": "4", …}}`.
    @Sendable func enter(req: Request) async throws -> Response {
        let form = try await req.authorizedRecord(FeedbackForm.self, .update)
        guard
            case .object(let body) = try? JSONValue(
                parsing: req.body.data?.readableBytesView ?? ByteBuffer().readableBytesView),
            case .object(let answers)? = body["answers"], body.keys.allSatisfy({ $0 == "answers" })
        else { throw WellplanError.invalid([FieldProblem("answers", "error_not_json_object")]) }
        let known = Set(
            try await FeedbackSubmissions(db: req.db, clock: req.clock).questions(of: form).map { $0.id.uuidString })
        if let unknown = answers.keys.sorted().first(where: { !known.contains($0.uppercased()) }) {
            throw WellplanError.invalid([FieldProblem("answers.\(unknown)", "error_unknown_field")])
        }
        var values: [String: String] = [:]
        for (id, value) in answers {
            switch value {
            case .string(let text): values["q-\(id.uppercased())"] = text
            case .number(let n): values["q-\(id.uppercased())"] = n == n.rounded() ? String(Int(n)) : String(n)
            default: throw WellplanError.invalid([FieldProblem("q-\(id)", "error_not_text")])
            }
        }
        return try jsonResponse(try await FeedbackPages.keep(values, form, req, channel: .paper), status: .created)
    }
}
