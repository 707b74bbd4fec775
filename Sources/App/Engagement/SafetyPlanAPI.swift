import Fluent
import SQLKit
import Vapor
import WellplanCore

/// `/api/v1/safety-plans/:id/versions`: list, upload (`application/pdf`) and download.
struct SafetyPlanAPI: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("safety-plans", ":id", "versions", use: list)
        routes.large(.POST, "safety-plans", ":id", "versions", max: "21mb", use: upload)
        routes.get("safety-plans", ":id", "versions", ":number", "file", use: SafetyPlanPages.file)
    }

    @Sendable func list(req: Request) async throws -> Response {
        let plan = try await req.authorizedRecord(NeighbourhoodSafetyPlan.self, .read)
        return try jsonResponse(try await SafetyPlanVersions(db: req.db).list(plan.id))
    }

    @Sendable func upload(req: Request) async throws -> Response {
        let plan = try await req.authorizedRecord(NeighbourhoodSafetyPlan.self, .update)
        guard let type = req.headers.contentType, type.type == "application",
            ["pdf", "octet-stream"].contains(type.subType)
        else {
            throw Abort(.unsupportedMediaType)
        }
        let version = try await SafetyPlanVersions(db: req.db).add(
            plan.id, fileName: req.query[String.self, at: "fileName"] ?? "safety-plan.pdf",
            data: Data(buffer: req.body.data ?? ByteBuffer()),
            note: req.query[String.self, at: "note"], author: req.author)
        return try jsonResponse(version, status: .created)
    }

}
