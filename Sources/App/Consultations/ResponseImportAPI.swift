import SQLKit
import Vapor
import WellplanCore

/// `/api/v1/consultations/:id/responses`: preview and import a survey export (`text/csv`).
struct ResponseImportAPI: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.large(.POST, "consultations", ":id", "responses", "preview", max: "50mb", use: preview)
        routes.streamed(.POST, "consultations", ":id", "responses", max: "50mb", use: run)
    }

    @Sendable func preview(req: Request) async throws -> Response {
        let consultation = try await req.consultation(.read)
        return try jsonResponse(
            try await ResponseImports(db: req.db, author: req.author).preview(
                consultation, csv: try req.csvBody(), mapping: try req.columnMapping(), publicMinimum: req.publicMinimum
            ))
    }

    @Sendable func run(req: Request) async throws -> Response {
        let consultation = try await req.consultation(.update)
        var method: UUID?
        if let text = req.query[String.self, at: "methodId"] {
            guard let id = UUID(uuidString: text) else {
                throw WellplanError.invalid([FieldProblem("methodId", "error_not_reference")])
            }
            method = id
        }
        try req.requireCSV()
        let mapping = try req.columnMapping()
        // Spooled to a file and read a piece at a time: memory stays flat however long the export.
        let file = try StoredFiles.temporary("responses-\(UUID()).csv", in: req.application.settings.uploads)
        defer { try? FileManager.default.removeItem(at: file) }
        try await req.spool(to: file)
        let result = try await ResponseImports(db: req.db, author: req.author).run(
            consultation, method: method, file: file, mapping: mapping, store: req.application.settings.store)
        return try jsonResponse(result, status: .created)
    }
}
