import Vapor
import WellplanCore

/// `/api/v1/jobs/:id`: what the job's page shows, for a client following the import it started.
struct JobAPI: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("jobs", ":id") { req in try jsonResponse(try await JobView.find(req)) }
    }
}
