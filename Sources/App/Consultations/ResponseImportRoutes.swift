import SQLKit
import Vapor
import WellplanCore

/// `/api/v1/consultations/:id/responses`: preview and import a survey export (`text/csv`).
struct ResponseImportAPI: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.on(.POST, "consultations", ":id", "responses", "preview", body: .collect(maxSize: "50mb"), use: preview)
        routes.on(.POST, "consultations", ":id", "responses", body: .collect(maxSize: "50mb"), use: run)
    }

    @Sendable func preview(req: Request) async throws -> Response {
        let consultation = try await ResponseImportPages.consultation(req, .read)
        return try jsonResponse(try await ResponseImports(db: req.db, author: req.author).preview(consultation, csv: try req.csvBody()))
    }

    @Sendable func run(req: Request) async throws -> Response {
        let consultation = try await ResponseImportPages.consultation(req, .update)
        var method: UUID?
        if let text = req.query[String.self, at: "methodId"] {
            guard let id = UUID(uuidString: text) else { throw WellplanError.invalid([FieldProblem("methodId", "error_not_reference")]) }
            method = id
        }
        let result = try await ResponseImports(db: req.db, author: req.author).run(consultation, method: method, csv: try req.csvBody())
        return try jsonResponse(result, status: .created)
    }
}

/// The upload, preview and confirmation pages of a survey import.
struct ResponseImportPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("consultations", ":id", "responses", "import", use: form)
        routes.on(.POST, "consultations", ":id", "responses", "import", body: .collect(maxSize: "50mb"), use: upload)
        routes.get("consultations", ":id", "responses", "import", ":pending", use: preview)
        routes.post("consultations", ":id", "responses", "import", ":pending", use: confirm)
    }

    static func consultation(_ req: Request, _ action: Action) async throws -> Consultation {
        try await req.authorize(action, .record(.consultation, owningTable: nil))
        guard let id = req.parameters.get("id", as: UUID.self), let consultation = try await RecordStore(db: req.sql).find(Consultation.self, id)
        else { throw WellplanError.notFound("consultation") }
        return consultation
    }

    struct ImportPage: Encodable {
        struct Row: Encodable {
            let code: String
            let text: String
            let goesTo: String
        }
        let heading: String
        let consultationHref: String
        let action: String
        let methods: [RecordView.FormField.Option]
        let problems: [ErrorResponses.Body.Problem]
        let preview: ResponseImports.Preview?
        let rows: [Row]
        let result: ResponseImports.Result?
    }

    func page(
        _ req: Request, _ c: Consultation, action: String, problems: [FieldProblem] = [], preview: ResponseImports.Preview? = nil,
        result: ResponseImports.Result? = nil, status: HTTPStatus = .ok
    ) async throws -> Response {
        let methods = try await RecordStore(db: req.sql).list(ConsultationMethod.self, filters: ["consultationId": c.id])
        let rows = (preview?.columns ?? []).map { column in
            ImportPage.Row(
                code: column.code, text: column.text,
                goesTo: req.text(column.questionId == nil ? "import_new_question" : "import_existing_question"))
        }
        let content = ImportPage(
            heading: req.text("import_responses") + " · " + c.title(req.language), consultationHref: "/consultations/\(c.id)", action: action,
            methods: methods.map { .init(value: $0.id.uuidString, label: CodeList.consultationMethods.label($0.method, req.language), selected: false) },
            problems: problems.map { .init(field: $0.field, message: "\($0.field): \($0.message(req.language))") }, preview: preview, rows: rows,
            result: result)
        _ = req.csrfToken
        return try await req.page("response-import", title: content.heading, status: status, content)
    }

    @Sendable func form(req: Request) async throws -> Response {
        let c = try await Self.consultation(req, .update)
        return try await page(req, c, action: "/consultations/\(c.id)/responses/import")
    }

    @Sendable func upload(req: Request) async throws -> Response {
        let c = try await Self.consultation(req, .update)
        guard let data = req.uploadedFile() else {
            return try await page(
                req, c, action: "/consultations/\(c.id)/responses/import", problems: [FieldProblem("file", "error_csv_empty")],
                status: .unprocessableEntity)
        }
        // A malformed file is refused before it is kept.
        if case .invalid(let problems) = Self.problems(data) {
            return try await page(req, c, action: "/consultations/\(c.id)/responses/import", problems: problems, status: .unprocessableEntity)
        }
        let id = UUID()
        try await req.sql.insert(into: "pending_imports").columns("id", "consultation_id", "method_id", "data", "created_by", "created_at")
            .values(
                SQLBind(id), SQLBind(c.id), SQLBind((try? req.content.get(String.self, at: "methodId")).flatMap(UUID.init(uuidString:))), SQLBind(data),
                SQLBind(req.author.label),
                SQLBind(Timestamp.now)
            ).run()
        return req.redirect(to: "/consultations/\(c.id)/responses/import/\(id)", redirectType: .normal)
    }

    static func problems(_ data: Data) -> WellplanError? {
        do {
            _ = try SurveyExport(data: data)
            return nil
        } catch {
            return error
        }
    }

    func pending(_ req: Request, _ c: Consultation) async throws -> (id: UUID, method: UUID?, data: Data) {
        guard let id = req.parameters.get("pending", as: UUID.self),
            let row = try await req.sql.select().columns("method_id", "data").from("pending_imports").where("id", .equal, SQLBind(id))
                .where("consultation_id", .equal, SQLBind(c.id)).first()
        else { throw WellplanError.notFound("import") }
        return (id, try row.decode(column: "method_id", as: UUID?.self), try row.decode(column: "data", as: Data.self))
    }

    @Sendable func preview(req: Request) async throws -> Response {
        let c = try await Self.consultation(req, .update)
        let (id, _, data) = try await pending(req, c)
        let preview = try await ResponseImports(db: req.db, author: req.author).preview(c, csv: data)
        return try await page(req, c, action: "/consultations/\(c.id)/responses/import/\(id)", preview: preview)
    }

    /// The confirmed import runs as a job (a large export takes a while); its page shows the progress.
    @Sendable func confirm(req: Request) async throws -> Response {
        let c = try await Self.consultation(req, .update)
        let (id, _, _) = try await pending(req, c)
        let job = try await JobQueue.enqueue(ResponseImportJob.self, payload: id.uuidString, on: req.sql, req.author, maxAttempts: 1)
        return req.redirect(to: "/jobs/\(job.id)", redirectType: .normal)
    }
}
