import SQLKit
import Vapor
import WellplanCore

/// The upload, preview and confirmation pages of a survey import.
struct ResponseImportPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("consultations", ":id", "responses", "import", use: form)
        routes.large(.POST, "consultations", ":id", "responses", "import", max: "50mb", use: upload)
        routes.get("consultations", ":id", "responses", "import", ":pending", use: preview)
        routes.post("consultations", ":id", "responses", "import", ":pending", use: confirm)
    }

    struct ImportPage: Encodable {
        struct Row: Encodable {
            let code: String
            let text: String
            let goesTo: String
            let options: [RecordView.FormField.Option]
        }
        let heading: String
        let consultationHref: String
        let action: String
        let methods: [RecordView.FormField.Option]
        let problems: [ErrorResponses.Body.Problem]
        let preview: ResponseImports.Preview?
        let rows: [Row]
        /// "Which school? + Which subject?: 87", for the warning.
        let singlingOut: [String]
        let result: ResponseImports.Result?
    }

    func page(
        _ req: Request, _ c: Consultation, action: String, problems: [FieldProblem] = [],
        preview: ResponseImports.Preview? = nil,
        mapping: ColumnMapping = .init(), result: ResponseImports.Result? = nil, status: HTTPStatus = .ok
    ) async throws -> Response {
        let store = Records(db: req.sql)
        let methods = try await store.list(ConsultationMethod.self, filters: ["consultationId": c.id])
        let questions = try await store.list(ConsultationQuestion.self, filters: ["consultationId": c.id])
        let rows = (preview?.columns ?? []).map { column in
            let chosen = mapping.targets[column.code]
            let byCode =
                questions.contains { $0.code == column.code } ? "import_existing_question" : "import_new_question"
            let options: [RecordView.FormField.Option] =
                [
                    .init(value: "\(column.code)=auto", label: req.text(byCode), selected: chosen == nil),
                    .init(
                        value: "\(column.code)=skip", label: req.text("import_skip_column"), selected: chosen == .skip),
                ]
                + questions.map { q in
                    .init(
                        value: "\(column.code)=\(q.id)", label: "\(q.code) · \(q.title(req.language))",
                        selected: chosen == .question(q.id))
                }
            return ImportPage.Row(
                code: column.code, text: column.text,
                goesTo: req.text(
                    column.skipped
                        ? "import_skip_column"
                        : column.questionId == nil ? "import_new_question" : "import_existing_question"),
                options: options)
        }
        let content = ImportPage(
            heading: req.text("import_responses") + " · " + c.title(req.language),
            consultationHref: SiteURL.record(.consultation, c.id).path, action: action,
            methods: methods.map {
                .init(
                    value: $0.id.uuidString, label: CodeList.consultationMethods.label($0.method, req.language),
                    selected: false)
            },
            problems: problems.map { .init(field: $0.field, message: "\($0.field): \($0.message(req.language))") },
            preview: preview, rows: rows,
            singlingOut: singlingOut(preview), result: result)
        _ = req.csrfToken
        return try await req.page("response-import", title: content.heading, status: status, content)
    }

    /// Each risk in the preview, its questions by their wording.
    func singlingOut(_ preview: ResponseImports.Preview?) -> [String] {
        guard let preview else { return [] }
        let texts = Dictionary(preview.columns.map { ($0.code, $0.text) }) { first, _ in first }
        return preview.singlingOut.map { risk in
            risk.questions.map { "“\(texts[$0] ?? $0)”" }.joined(separator: " + ") + ": \(risk.respondents)"
        }
    }

    @Sendable func form(req: Request) async throws -> Response {
        let c = try await req.consultation(.update)
        return try await page(req, c, action: SiteURL.consultation(c.id, .responseImport).path)
    }

    @Sendable func upload(req: Request) async throws -> Response {
        let c = try await req.consultation(.update)
        guard let data = req.uploadedFile() else {
            return try await page(
                req, c, action: SiteURL.consultation(c.id, .responseImport).path,
                problems: [FieldProblem("file", "error_csv_empty")],
                status: .unprocessableEntity)
        }
        // A malformed file is refused before it is kept.
        if case .invalid(let problems) = Self.problems(data) {
            return try await page(
                req, c, action: SiteURL.consultation(c.id, .responseImport).path, problems: problems,
                status: .unprocessableEntity)
        }
        let id = UUID()
        let method = (try? req.content.get(String.self, at: "methodId")).flatMap(UUID.init(uuidString:))
        let author = req.author
        try await req.db.writeTransaction { tx in
            let file = try await StoredFiles(sql: tx.sql).keep(data, mediaType: "text/csv", at: author.now)
            try await tx.sql.insert(into: "pending_imports")
                .columns("id", "consultation_id", "method_id", "file_id", "created_by", "created_at")
                .values(
                    SQLBind(id), SQLBind(c.id), SQLBind(method), SQLBind(file.id), SQLBind(author.label),
                    SQLBind(author.now)
                )
                .run()
        }
        return req.redirect(
            to: SiteURL.responseImportPreview(consultation: c.id, upload: id).path, redirectType: .normal)
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
            let row = try await req.sql.select().columns("method_id", "file_id").from("pending_imports").where(
                "id", .equal, SQLBind(id)
            )
            .where("consultation_id", .equal, SQLBind(c.id)).first(),
            let data = try await StoredFiles(sql: req.sql).data(try row.decode(column: "file_id", as: UUID.self))
        else { throw WellplanError.notFound("import") }
        return (id, try row.decode(column: "method_id", as: UUID?.self), data)
    }

    @Sendable func preview(req: Request) async throws -> Response {
        let c = try await req.consultation(.update)
        return try await showPreview(req, c, mapping: .init())
    }

    /// The preview with the coordinator's column choices, or what is wrong with them.
    func showPreview(_ req: Request, _ c: Consultation, mapping: ColumnMapping) async throws -> Response {
        let (id, _, data) = try await pending(req, c)
        let action = SiteURL.responseImportPreview(consultation: c.id, upload: id).path
        do {
            let preview = try await ResponseImports(db: req.db, author: req.author).preview(
                c, csv: data, mapping: mapping, publicMinimum: req.publicMinimum)
            return try await page(req, c, action: action, preview: preview, mapping: mapping)
        } catch let error as WellplanError {
            guard case .invalid(let problems) = error else { throw error }
            let plain = try await ResponseImports(db: req.db, author: req.author).preview(
                c, csv: data, publicMinimum: req.publicMinimum)
            return try await page(
                req, c, action: action, problems: problems, preview: plain, mapping: mapping,
                status: .unprocessableEntity)
        }
    }

    /// "Update the preview" shows the choices' effect; "Import" keeps them and runs the import as a job
    /// (a large export takes a while), whose page shows the progress.
    @Sendable func confirm(req: Request) async throws -> Response {
        let c = try await req.consultation(.update)
        let mapping = try req.columnMapping()
        let fields = req.formValues()
        if fields["update"] != nil { return try await showPreview(req, c, mapping: mapping) }
        let (id, _, data) = try await pending(req, c)
        do {
            _ = try await ResponseImports(db: req.db, author: req.author).preview(
                c, csv: data, mapping: mapping, publicMinimum: req.publicMinimum)
        } catch WellplanError.invalid {
            return try await showPreview(req, c, mapping: mapping)
        }
        let encoded = String(decoding: try JSONEncoder().encode(mapping), as: UTF8.self)
        try await req.sql.update("pending_imports").set("mapping", to: SQLBind(encoded)).where(
            "id", .equal, SQLBind(id)
        ).run()
        let job = try await JobQueue.enqueue(
            ResponseImportJob.self, payload: id.uuidString, on: req.sql, req.author, maxAttempts: 1)
        return req.redirect(to: SiteURL.job(job.id).path, redirectType: .normal)
    }
}
