import Fluent
import SQLKit
import Vapor
import WellplanCore

/// `/audit-findings/:id/photos`: the photos, the form to add one, each picture, and removal.
struct FindingPhotoPages: RouteCollection {

    func boot(routes: any RoutesBuilder) throws {
        routes.get("audit-findings", ":id", "photos", use: photos)
        routes.large(.POST, "audit-findings", ":id", "photos", max: "11mb", use: add)
        routes.get("audit-findings", ":id", "photos", ":number", use: FindingPhotos.picture)
        routes.post("audit-findings", ":id", "photos", ":number", "delete", use: remove)
    }

    struct PhotosPage: Encodable {
        struct Row: Encodable {
            let number: Int
            let description: String
            let uploaded: String
            let src: String
            let removeAction: String
        }
        let heading: String
        let findingHref: String
        let rows: [Row]
        let canChange: Bool
        let problems: [ErrorResponses.Body.Problem]
    }

    func page(_ req: Request, _ finding: AuditFinding, problems: [FieldProblem] = [], status: HTTPStatus = .ok)
        async throws -> Response
    {
        let photos = try await FindingPhotos(db: req.db).list(finding.id)
        let table = try await RecordScope.owningTable(of: finding, Records(db: req.sql))
        _ = req.csrfToken
        let base = SiteURL.findingPhotos(finding.id).path
        let content = PhotosPage(
            heading: req.text("finding_photos") + " · " + finding.descriptionEn.prefix(80),
            findingHref: SiteURL.record(.auditFinding, finding.id).path,
            rows: photos.map {
                .init(
                    number: $0.number, description: $0.description(req.language),
                    uploaded: "\($0.uploadedAt.minute) · \($0.uploadedBy)",
                    src: "\(base)/\($0.number)", removeAction: "\(base)/\($0.number)/delete")
            },
            canChange: AccessPolicy.permits(try await req.actor(), .update, .record(.auditFinding, owningTable: table)),
            problems: req.shown(problems))
        return try await req.page("finding-photos", title: content.heading, status: status, content)
    }

    @Sendable func photos(req: Request) async throws -> Response {
        try await page(req, try await req.authorizedRecord(AuditFinding.self, .read))
    }

    @Sendable func add(req: Request) async throws -> Response {
        let finding = try await req.authorizedRecord(AuditFinding.self, .update)
        struct Upload: Content {
            var file: File?
            var descriptionEn: String?
            var descriptionFr: String?
        }
        let form = try? req.content.decode(Upload.self)
        do {
            _ = try await FindingPhotos(db: req.db).add(
                finding.id, data: form?.file.map { Data(buffer: $0.data) } ?? Data(),
                descriptionEn: form?.descriptionEn,
                descriptionFr: form?.descriptionFr, author: req.author)
        } catch let error as WellplanError {
            guard case .invalid(let problems) = error else { throw error }
            return try await page(req, finding, problems: problems, status: .unprocessableEntity)
        }
        return req.redirect(to: SiteURL.findingPhotos(finding.id).path, redirectType: .normal)
    }

    @Sendable func remove(req: Request) async throws -> Response {
        let finding = try await req.authorizedRecord(AuditFinding.self, .update)
        guard let number = req.parameters.get("number", as: Int.self) else { throw WellplanError.notFound("photo") }
        try await FindingPhotos(db: req.db).remove(finding.id, number: number, author: req.author)
        return req.redirect(to: SiteURL.findingPhotos(finding.id).path, redirectType: .normal)
    }
}
