import Fluent
import SQLKit
import Vapor
import WellplanCore

/// `/api/v1/audit-findings/:id/photos`: list, add (`image/jpeg` or `image/png`), each picture, removal.
struct FindingPhotoAPI: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("audit-findings", ":id", "photos", use: list)
        routes.large(.POST, "audit-findings", ":id", "photos", max: "11mb", use: add)
        routes.get("audit-findings", ":id", "photos", ":number", use: FindingPhotos.picture)
        routes.delete("audit-findings", ":id", "photos", ":number", use: remove)
    }

    @Sendable func list(req: Request) async throws -> Response {
        let finding = try await req.authorizedRecord(AuditFinding.self, .read)
        return try jsonResponse(try await FindingPhotos(db: req.db).list(finding.id))
    }

    @Sendable func add(req: Request) async throws -> Response {
        let finding = try await req.authorizedRecord(AuditFinding.self, .update)
        guard let type = req.headers.contentType,
            ["image/jpeg", "image/png", "application/octet-stream"].contains("\(type.type)/\(type.subType)")
        else { throw Abort(.unsupportedMediaType) }
        let photo = try await FindingPhotos(db: req.db).add(
            finding.id, data: Data(buffer: req.body.data ?? ByteBuffer()),
            descriptionEn: req.query[String.self, at: "descriptionEn"],
            descriptionFr: req.query[String.self, at: "descriptionFr"], author: req.author)
        return try jsonResponse(photo, status: .created)
    }

    @Sendable func remove(req: Request) async throws -> HTTPStatus {
        let finding = try await req.authorizedRecord(AuditFinding.self, .update)
        guard let number = req.parameters.get("number", as: Int.self) else { throw WellplanError.notFound("photo") }
        try await FindingPhotos(db: req.db).remove(finding.id, number: number, author: req.author)
        return .noContent
    }
}
