import Vapor
import WellplanCore

/// `/guarded-names`: the names the identifier guard refuses, which admins add to and retire from.
struct GuardedNamePages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("guarded-names", use: show)
        routes.post("guarded-names", use: change)
    }

    struct NamesPage: Encodable {
        struct Change: Encodable {
            let name: String
            let state: String
            let by: String
            let at: String
        }
        let shippedCount: Int
        let effectiveCount: Int
        let changes: [Change]
        let mayChange: Bool
        let problems: [ErrorResponses.Body.Problem]
    }

    @Sendable func show(req: Request) async throws -> Response {
        try await req.authorize(.read, .referenceLists)
        return try await page(req, problems: [], status: .ok)
    }

    @Sendable func change(req: Request) async throws -> Response {
        try await req.authorize(.update, .referenceLists)
        let values = req.formValues()
        do {
            try await req.db.writeTransaction { tx in
                try await GuardedNames(db: tx.sql).set(
                    values["name"]?.first ?? "", active: values["active"]?.first != "false", req.author)
            }
            return req.redirect(to: "/guarded-names", redirectType: .normal)
        } catch WellplanError.invalid(let problems) {
            return try await page(req, problems: problems, status: .unprocessableEntity)
        }
    }

    func page(_ req: Request, problems: [FieldProblem], status: HTTPStatus) async throws -> Response {
        let names = GuardedNames(db: req.sql)
        let content = NamesPage(
            shippedCount: IdentifierGuard.shippedNames.count, effectiveCount: try await names.effective().count,
            changes: try await names.changes().map {
                .init(
                    name: $0.name, state: req.text($0.active ? "name_added" : "name_retired"), by: $0.changedBy,
                    at: String($0.changedAt.description.prefix(10)))
            },
            mayChange: AccessPolicy.permits(try await req.actor(), .update, .referenceLists),
            problems: req.shown(problems))
        _ = req.csrfToken
        return try await req.page("guarded-names", title: req.text("guarded_names_heading"), status: status, content)
    }
}
