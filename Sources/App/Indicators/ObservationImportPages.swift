import Fluent
import SQLKit
import Vapor
import WellplanCore

/// `/plans/:id/observations/import`: the form, and the upload it sends to the same check and job as the API.
struct ObservationImportPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("plans", ":id", "observations", "import", use: form)
        routes.large(.POST, "plans", ":id", "observations", "import", max: "200mb", use: upload)
    }

    struct Page: Encodable {
        let heading: String
        let planHref: String
        let measures: [String]
        let problems: [ErrorResponses.Body.Problem]
    }

    func page(_ req: Request, _ plan: Plan, problems: [FieldProblem] = [], status: HTTPStatus = .ok) async throws
        -> Response
    {
        _ = req.csrfToken
        let codes = try await Records(db: req.sql).list(Measure.self, filters: ["planId": plan.id]).filter {
            !$0.isCalculated
        }.map(\.code)
        let content = Page(
            heading: req.text("observations_import") + " · " + plan.title(req.language),
            planHref: SiteURL.plan(plan.id, .scorecard).path, measures: codes,
            problems: req.shown(problems))
        return try await req.page("observation-import", title: content.heading, status: status, content)
    }

    @Sendable func form(req: Request) async throws -> Response {
        try await page(req, try await req.authorizedRecord(Plan.self, .update))
    }

    @Sendable func upload(req: Request) async throws -> Response {
        let plan = try await req.authorizedRecord(Plan.self, .update)
        guard let data = req.uploadedFile() else {
            return try await page(
                req, plan, problems: [FieldProblem("file", "error_required")], status: .unprocessableEntity)
        }
        struct Fields: Content {
            var layout, measure, period, periodValue, area, value, numerator, denominator, note, label, whole, codesRow,
                mapping, dimensions, skip: String?
        }
        let f = try req.content.decode(Fields.self)
        let values: [String: String?] = [
            "layout": f.layout, "measure": f.measure, "period": f.period, "periodValue": f.periodValue, "area": f.area,
            "value": f.value,
            "numerator": f.numerator, "denominator": f.denominator, "note": f.note, "label": f.label, "whole": f.whole,
            "codesRow": f.codesRow,
            "mapping": f.mapping, "dimensions": f.dimensions, "skip": f.skip,
        ]
        do {
            let request = try ObservationImportRequest(plan: plan.id) { values[$0] ?? nil }
            let job = try await ObservationImportJob.accept(
                request, db: req.db, author: req.author, uploads: req.application.settings.uploads
            ) {
                try data.write(to: $0)
            }
            return req.redirect(to: SiteURL.job(job.id).path, redirectType: .normal)
        } catch let error as WellplanError {
            guard case .invalid(let problems) = error else { throw error }
            return try await page(req, plan, problems: problems, status: .unprocessableEntity)
        }
    }
}
