import Vapor
import WellplanCore

struct EvaluationAPI: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        for (path, read) in EvaluationSubject.readers {
            routes.get(path, ":id", "evaluation") { req in
                let (_, outcome) = try await EvaluationSubject.outcome(req, read)
                guard let outcome else {
                    throw WellplanError.invalid([FieldProblem("controlAreaCode", "error_required")])
                }
                return try jsonResponse(outcome)
            }
        }
    }
}
