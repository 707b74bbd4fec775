import Fluent
import SQLKit
import Vapor
import WellplanCore

/// `/api/v1/layers/:id/areas` and `/api/v1/incidents/…`.
struct PlacesAPI: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.large(.POST, "layers", ":id", "areas", max: "50mb", use: importAreas)
        routes.get("layers", ":id", "areas", use: areas)
        routes.streamed(.POST, "incidents", "import", max: "2gb", use: importIncidents)
        routes.get("incidents", "counts", use: counts)
    }

    @Sendable func importAreas(req: Request) async throws -> Response {
        let layer = try await req.authorizedRecord(Layer.self, .update)
        guard let idProperty = req.query[String.self, at: "idProperty"], !idProperty.isEmpty else {
            throw WellplanError.invalid([FieldProblem("idProperty", "error_required")])
        }
        let result = try await Areas(db: req.db, author: req.author).importGeoJSON(
            layer, data: Data(buffer: req.body.data ?? ByteBuffer()), idProperty: idProperty,
            nameProperty: req.query[String.self, at: "nameProperty"])
        return try jsonResponse(["areas": result.areas, "incidentsAssigned": result.assigned], status: .created)
    }

    @Sendable func areas(req: Request) async throws -> Response {
        let layer = try await req.authorizedRecord(Layer.self, .read)
        return try jsonResponse(try await Areas(db: req.db, author: req.author).list(layer.id))
    }

    @Sendable func importIncidents(req: Request) async throws -> Response {
        try await req.authorize(.create, .incidents)
        try req.requireCSV()
        let request = try IncidentImportRequest { req.query[String.self, at: $0] }
        let job = try await IncidentUploads.accept(
            request, db: req.db, author: req.author, uploads: req.application.settings.uploads
        ) { file in
            try await req.spool(to: file)
        }
        return try jsonResponse(["job": job.id.uuidString], status: .accepted)
    }

    @Sendable func counts(req: Request) async throws -> Response {
        try await req.authorize(.read, .incidents)
        return try jsonResponse(try await PlacesPages.counts(req))
    }
}
