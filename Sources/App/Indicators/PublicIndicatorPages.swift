import SQLKit
import Vapor
import WellplanCore

/// What residents and council see: a plan's dashboard of published measures grouped by priority area,
/// each measure's page with its chart, table and downloads, and the open data catalogue. Everything here
/// goes through the disclosure policy's public minimum; a measure not published is not found.
struct PublicIndicatorPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let pub = routes.grouped("public")
        pub.get("plans", ":id", "dashboard", use: dashboard)
        pub.get("measures", ":id", use: measure)
        pub.get("measures", ":id", "data.csv") { req in MeasureDownloads.csv(try await Self.view(req)) }
        pub.get("measures", ":id", "data.json") { req in try jsonResponse(try await Self.view(req)) }
        pub.get("measures", ":id", "data.geojson") { req in
            try await MeasureDownloads.geoJSON(try await Self.view(req), req)
        }
        pub.get("measures", ":id", "chart.svg") { req in try await MeasureDownloads.chart(try await Self.view(req), req)
        }
        pub.get("open-data", use: openData)
        pub.get("open-data.json", use: openDataJSON)
    }

    static func published(_ req: Request) async throws -> Measure {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
            let measure = try await Records(db: req.sql).find(Measure.self, id),
            measure.published
        else { throw WellplanError.notFound("measure") }
        return measure
    }

    static func view(_ req: Request) async throws -> MeasureView {
        try await MeasureView.load(try await published(req), req, audience: .publicRelease)
    }

    @Sendable func measure(req: Request) async throws -> Response {
        let view = try await Self.view(req)
        let content = MeasurePage.make(
            view, req, base: SiteURL.publicMeasure(view.measure.id).path, recordHref: nil, canEnter: false,
            map: try await MeasureMap.load(view, req))
        return try await req.page("measure", title: content.heading, content)
    }

    struct Dashboard: Encodable {
        struct Group: Encodable {
            let heading: String
            let rows: [MeasurePages.ScorecardPage.Row]
        }
        let heading: String
        let groups: [Group]
        let openDataHref: String
    }

    @Sendable func dashboard(req: Request) async throws -> Response {
        // A plan is public once a version of it is published, as on its public page; until then it is not found.
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
            let plan = try await Records(db: req.sql).find(Plan.self, id),
            try await PlanVersions.isPublished(id, on: req.sql)
        else { throw WellplanError.notFound("plan") }
        let store = Records(db: req.sql)
        let measures = try await store.list(Measure.self, filters: ["planId": plan.id]).filter { $0.published }
        let priorities = try await store.list(PriorityRiskArea.self, filters: ["planId": plan.id])
        var rows: [UUID?: [MeasurePages.ScorecardPage.Row]] = [:]
        for view in try await MeasureView.load(measures, req, audience: .publicRelease, wholeAreaOnly: true) {
            let measure = view.measure
            let row = MeasurePages.ScorecardPage.row(view, req, href: SiteURL.publicMeasure(measure.id).path)
            // A measure serving several priorities is shown under each.
            let served: [UUID?] = measure.priorities.filter { p in priorities.contains { $0.id == p } }
            for priority in served.isEmpty ? [nil] : served { rows[priority, default: []].append(row) }
        }
        var groups = priorities.compactMap { p in
            rows[p.id].map { Dashboard.Group(heading: p.title(req.language), rows: $0) }
        }
        if let other = rows[nil] { groups.append(.init(heading: req.text("dashboard_other_measures"), rows: other)) }
        let content = Dashboard(
            heading: req.text("dashboard_heading") + " · " + plan.title(req.language), groups: groups,
            openDataHref: "/public/open-data")
        return try await req.page("dashboard", title: content.heading, content)
    }

    /// One entry of the open data catalogue: what the measure is, where it comes from, under what licence,
    /// when its figures last changed, and where to get them.
    struct Dataset: Encodable {
        let id: UUID
        let code: String
        let name: String
        let definition: String?
        let unit: String
        let frequency: String
        let source: String?
        let licence: String
        let lastUpdated: String?
        let csv: String
        let json: String
        /// For a measure mapped on a layer.
        let geojson: String?
        let page: String
    }

    static func catalogue(_ req: Request) async throws -> [Dataset] {
        let measures = try await Records(db: req.sql).list(Measure.self).filter { $0.published }
        var updated: [UUID: String] = [:]
        for row in measures.isEmpty
            ? []
            : try await req.sql.select().column("measure_id").column(
                SQLFunction("MAX", args: SQLColumn("updated_at")), as: "at"
            ).from("observations")
                .where("measure_id", in: measures.map(\.id)).groupBy("measure_id").all()
        {
            updated[try row.decode(column: "measure_id", as: UUID.self)] = try row.decode(column: "at", as: String.self)
        }
        let lang = req.language
        return measures.map { m in
            let base = SiteURL.publicMeasure(m.id).path
            return Dataset(
                id: m.id, code: m.code, name: m.name(lang),
                definition: lang == .fr ? m.definitionFr ?? m.definitionEn : m.definitionEn,
                unit: m.unit.label(lang), frequency: m.frequency.label(lang), source: m.dataSource,
                licence: m.licence ?? req.text("open_data_default_licence"),
                lastUpdated: updated[m.id].map { String($0.prefix(10)) },
                csv: base + "/data.csv", json: base + "/data.json",
                geojson: m.layerId == nil ? nil : base + "/data.geojson", page: base)
        }
    }

    @Sendable func openData(req: Request) async throws -> Response {
        struct Page: Encodable {
            let heading: String
            let datasets: [Dataset]
        }
        let content = Page(heading: req.text("open_data_heading"), datasets: try await Self.catalogue(req))
        return try await req.page("open-data", title: content.heading, content)
    }

    @Sendable func openDataJSON(req: Request) async throws -> Response {
        try jsonResponse(try await Self.catalogue(req))
    }
}
