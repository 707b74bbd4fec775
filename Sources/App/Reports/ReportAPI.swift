import Vapor
import WellplanCore

/// `/api/v1/reports`: ask for a report (a job builds it), read it in any format, edit a draft, publish it;
/// `/api/v1/public/reports`: the published ones.
struct ReportAPI: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let r = routes.grouped("reports")
        r.get { req in
            try await req.authorize(.read, .reports)
            return try jsonResponse(try await req.reports.all().map { $0.summary(req.language) })
        }
        r.post { req in
            try await req.authorize(.create, .reports)
            let request = try req.content.decode(ReportRequest.self)
            let (report, job) = try await req.reports.request(request, policy: req.application.settings.disclosure)
            struct Accepted: Encodable {
                let report: StoredReport.Summary
                let job: UUID
            }
            return try jsonResponse(Accepted(report: report.summary(req.language), job: job.id), status: .accepted)
        }
        r.get(":id") { req in
            try await req.authorize(.read, .reports)
            let stored = try await req.storedReport()
            struct Full: Encodable {
                let summary: StoredReport.Summary
                let edits: ReportEdits
                let report: Report?
            }
            return try jsonResponse(
                Full(
                    summary: stored.summary(req.language), edits: stored.reportEdits, report: stored.shown(req.language)
                ))
        }
        r.get(":id", ":format") { req in
            try await req.authorize(.read, .reports)
            guard let format = req.parameters.get("format").flatMap(ReportFormat.init(rawValue:)) else {
                throw WellplanError.notFound("format")
            }
            return try await req.reportFile(try await req.storedReport(), format, readers: .partners)
        }
        r.large(.PUT, ":id", "edits", max: "4mb") { req in
            try await req.authorize(.update, .reports)
            let edits = try req.content.decode(ReportEdits.self)
            return try jsonResponse(
                try await req.reports.saveEdits(try await req.storedReport().id, edits).summary(req.language))
        }
        r.post(":id", "rebuild") { req in
            try await req.authorize(.update, .reports)
            let job = try await req.reports.rebuild(
                try await req.storedReport(), policy: req.application.settings.disclosure)
            return try jsonResponse(["job": job.id], status: .accepted)
        }
        r.post(":id", "publish") { req in
            try await req.authorize(.create, .reports)
            return try jsonResponse(
                try await req.reports.publish(try await req.storedReport().id, views: req.view).summary(req.language))
        }
        r.delete(":id") { req in
            try await req.authorize(.delete, .reports)
            try await req.reports.delete(try await req.storedReport().id)
            return Response(status: .noContent)
        }
        let p = routes.grouped("public", "reports")
        p.get { req in
            try await req.authorize(.read, .publishedPlan)
            return try jsonResponse(try await PublicReports.list(req).map { $0.summary(req.language) })
        }
        p.get(":id", ":format") { req in
            try await req.authorize(.read, .publishedPlan)
            guard let format = req.parameters.get("format").flatMap(ReportFormat.init(rawValue:)) else {
                throw WellplanError.notFound("format")
            }
            return try await req.reportFile(try await PublicReports.find(req), format, readers: .everyone)
        }
    }
}
