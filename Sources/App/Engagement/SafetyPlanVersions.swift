import Fluent
import SQLKit
import Vapor
import WellplanCore

/// A safety plan's versions, each with its PDF, numbered 1, 2, 3… in the order they were uploaded.
struct SafetyPlanVersions {
    let db: any Database

    struct Stored: Codable, Sendable {
        var id: UUID
        var safetyPlanId: UUID
        var number: Int
        var note: String?
        var fileName: String
        var size: Int
        var sha256: String
        var fileId: UUID
        var uploadedBy: String
        var uploadedAt: Timestamp
    }

    /// What a list shows: everything but the file itself.
    struct Version: Content {
        let number: Int
        let note: String?
        let fileName: String
        let size: Int
        let sha256: String
        let uploadedBy: String
        let uploadedAt: Timestamp
    }

    func list(_ plan: UUID) async throws -> [Version] {
        try await db.sql.select().columns("number", "note", "file_name", "size", "sha256", "uploaded_by", "uploaded_at")
            .from("safety_plan_versions")
            .where("safety_plan_id", .equal, SQLBind(plan)).orderBy("number").all(
                decoding: Version.self, with: RecordStore.decoder)
    }

    func file(_ plan: UUID, number: Int) async throws -> (name: String, data: Data)? {
        guard
            let row = try await db.sql.select().columns("file_name", "file_id").from("safety_plan_versions")
                .where("safety_plan_id", .equal, SQLBind(plan)).where("number", .equal, SQLBind(number)).first(),
            let data = try await StoredFiles(sql: db.sql).data(try row.decode(column: "file_id", as: UUID.self))
        else { return nil }
        return (try row.decode(column: "file_name", as: String.self), data)
    }

    /// Adds the next version; the file must be a PDF. The number is taken inside the write, so two uploads never share one.
    func add(_ plan: UUID, fileName: String, data: Data, note: String?, author: Author) async throws -> Version {
        let problems = SafetyPlanFile.problems(data)
        if !problems.isEmpty { throw WellplanError.invalid(problems) }
        let name = StoredFiles.name(fileName, otherwise: "safety-plan.pdf")
        let note = note?.trimmingCharacters(in: .whitespacesAndNewlines).prefix(1_000)
        return try await db.writeTransaction { tx in
            let file = try await StoredFiles(sql: tx.sql).keep(data, mediaType: "application/pdf")
            let digest = file.sha256
            let number = try await StoredFiles.nextNumber(
                in: "safety_plan_versions", owner: "safety_plan_id", plan, on: tx.sql)
            let stored = Stored(
                id: UUID(), safetyPlanId: plan, number: number, note: note.flatMap { $0.isEmpty ? nil : String($0) },
                fileName: name,
                size: data.count, sha256: digest, fileId: file.id, uploadedBy: author.label, uploadedAt: .now)
            try await tx.sql.insert(into: "safety_plan_versions").model(stored, with: RecordStore.encoder).run()
            try await AuditLog.append(
                on: tx.sql, author, "upload_version", RecordKind.safetyPlan.rawValue, recordId: plan.uuidString,
                after: AuditLog.json(["number": String(stored.number), "sha256": digest, "size": String(data.count)]))
            return Version(
                number: stored.number, note: stored.note, fileName: stored.fileName, size: stored.size, sha256: digest,
                uploadedBy: author.label,
                uploadedAt: stored.uploadedAt)
        }
    }
}

/// `/safety-plans/:id/versions`: the list, the upload form and each version's file.
struct SafetyPlanPages: RouteCollection {

    func boot(routes: any RoutesBuilder) throws {
        routes.get("safety-plans", ":id", "versions", use: versions)
        routes.large(.POST, "safety-plans", ":id", "versions", max: "21mb", use: upload)
        routes.get("safety-plans", ":id", "versions", ":number", "file", use: Self.file)
    }

    struct VersionsPage: Encodable {
        struct Row: Encodable {
            let number: Int
            let note: String
            let fileName: String
            let size: String
            let uploaded: String
            let href: String
        }
        let heading: String
        let planHref: String
        let rows: [Row]
        let canUpload: Bool
        let problems: [ErrorResponses.Body.Problem]
    }

    func page(_ req: Request, _ plan: NeighbourhoodSafetyPlan, problems: [FieldProblem] = [], status: HTTPStatus = .ok)
        async throws -> Response
    {
        let versions = try await SafetyPlanVersions(db: req.db).list(plan.id)
        let table = try await RecordScope.owningTable(of: plan, RecordStore(db: req.sql))
        _ = req.csrfToken
        let content = VersionsPage(
            heading: req.text("safety_plan_versions") + " · " + plan.title(req.language),
            planHref: "/safety-plans/\(plan.id)",
            rows: versions.map {
                .init(
                    number: $0.number, note: $0.note ?? "", fileName: $0.fileName,
                    size: ByteCountFormatter.string(fromByteCount: Int64($0.size), countStyle: .file),
                    uploaded: "\($0.uploadedAt.minute) · \($0.uploadedBy)",
                    href: "/safety-plans/\(plan.id)/versions/\($0.number)/file")
            },
            canUpload: AccessPolicy.permits(try await req.actor(), .update, .record(.safetyPlan, owningTable: table)),
            problems: req.shown(problems))
        return try await req.page("safety-plan-versions", title: content.heading, status: status, content)
    }

    @Sendable func versions(req: Request) async throws -> Response {
        try await page(req, try await req.authorizedRecord(NeighbourhoodSafetyPlan.self, .read))
    }

    @Sendable func upload(req: Request) async throws -> Response {
        let plan = try await req.authorizedRecord(NeighbourhoodSafetyPlan.self, .update)
        struct Upload: Content {
            var file: File?
            var note: String?
        }
        let form = try? req.content.decode(Upload.self)
        do {
            _ = try await SafetyPlanVersions(db: req.db).add(
                plan.id, fileName: form?.file?.filename ?? "", data: form?.file.map { Data(buffer: $0.data) } ?? Data(),
                note: form?.note, author: req.author)
        } catch let error as WellplanError {
            guard case .invalid(let problems) = error else { throw error }
            return try await page(req, plan, problems: problems, status: .unprocessableEntity)
        }
        return req.redirect(to: "/safety-plans/\(plan.id)/versions", redirectType: .normal)
    }

    /// A version's file, for pages and API alike.
    @Sendable static func file(req: Request) async throws -> Response {
        let plan = try await req.authorizedRecord(NeighbourhoodSafetyPlan.self, .read)
        guard let number = req.parameters.get("number", as: Int.self),
            let file = try await SafetyPlanVersions(db: req.db).file(plan.id, number: number)
        else {
            throw WellplanError.notFound("version")
        }
        return StoredFiles.response(
            file.data, type: HTTPMediaType(type: "application", subType: "pdf"), fileName: file.name)
    }
}

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
