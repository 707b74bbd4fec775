import Vapor
import WellplanCore

/// The public face of reports: every published plan version and report with its dates, and each
/// published report in every format, the kept bytes.
struct PublicReportPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("public", "reports", use: index)
        routes.get("public", "reports", ":id", use: show)
        routes.get("public", "reports", ":id", ":format", use: file)
    }

    struct IndexPage: Encodable {
        struct Version: Encodable {
            let href: String
            let title: String
            let version: Int
            let publishedOn: String
            let note: String
        }
        struct Item: Encodable {
            let href: String
            let title: String
            let kind: String
            let period: String
            let edition: Int
            let publishedOn: String
            let files: [ReportPages.ListPage.Option]
        }
        let versions: [Version]
        let reports: [Item]
    }

    @Sendable func index(req: Request) async throws -> Response {
        try await req.authorize(.read, .publishedPlan)
        let lang = req.language, w = ReportWriting(lang)
        var versions: [IndexPage.Version] = []
        for plan in try await Records(db: req.sql).list(Plan.self) {
            for v in try await PlanVersions.all(plan.id, on: req.sql) {
                versions.append(
                    .init(
                        href: SiteURL.publicPlan(plan.id).path, title: plan.title(lang), version: v.number,
                        publishedOn: w.day(v.publishedAt.day), note: v.note ?? "")
                )
            }
        }
        let reports = try await PublicReports.list(req).map { r in
            IndexPage.Item(
                href: SiteURL.publicReport(r.id).path, title: r.summary(lang).title ?? "",
                kind: req.text(r.reportKind.titleKey),
                period: r.fromDay.flatMap { f in r.toDay.map { w.period(f, $0) } } ?? "", edition: r.edition ?? 0,
                publishedOn: r.publishedAt.map { w.day($0.day) } ?? "",
                files: ReportFormat.allCases.map {
                    .init(
                        value: SiteURL.publicReport(r.id, format: $0.rawValue).path,
                        label: req.text("report_format_\($0.rawValue)")
                    )
                })
        }
        return try await req.page(
            "public-reports", title: req.text("public_reports_heading"), IndexPage(versions: versions, reports: reports)
        )
    }

    @Sendable func show(req: Request) async throws -> Response {
        try await req.authorize(.read, .publishedPlan)
        return try await req.reportFile(try await PublicReports.find(req), .html, readers: .everyone)
    }

    @Sendable func file(req: Request) async throws -> Response {
        try await req.authorize(.read, .publishedPlan)
        guard let format = req.parameters.get("format").flatMap(ReportFormat.init(rawValue:)) else {
            throw WellplanError.notFound("format")
        }
        return try await req.reportFile(try await PublicReports.find(req), format, readers: .everyone)
    }
}

/// Published reports written for the public; a report for partners is never shown here even once published.
enum PublicReports {
    static func list(_ req: Request) async throws -> [StoredReport] {
        try await req.reports.all(published: true).filter { $0.readers == .publicRelease }.sorted {
            // A report not yet dated sorts first, as the newest would.
            ($0.publishedAt?.millisecondsSince1970 ?? .max) > ($1.publishedAt?.millisecondsSince1970 ?? .max)
        }
    }

    static func find(_ req: Request) async throws -> StoredReport {
        let stored = try await req.storedReport()
        guard stored.state == .published, stored.readers == .publicRelease else {
            throw WellplanError.notFound("report")
        }
        return stored
    }
}
