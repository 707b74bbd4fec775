import Fluent
import SQLKit
import Vapor
import WellplanCore

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
        let table = try await RecordScope.owningTable(of: plan, Records(db: req.sql))
        _ = req.csrfToken
        let content = VersionsPage(
            heading: req.text("safety_plan_versions") + " · " + plan.title(req.language),
            planHref: SiteURL.record(.safetyPlan, plan.id).path,
            rows: versions.map {
                .init(
                    number: $0.number, note: $0.note ?? "", fileName: $0.fileName,
                    size: ByteCountFormatter.string(fromByteCount: Int64($0.size), countStyle: .file),
                    uploaded: "\($0.uploadedAt.minute) · \($0.uploadedBy)",
                    href: SiteURL.safetyPlanFile(plan.id, version: $0.number).path)
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
        return req.redirect(to: SiteURL.safetyPlanVersions(plan.id).path, redirectType: .normal)
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
