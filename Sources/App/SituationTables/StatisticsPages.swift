import SQLKit
import Vapor
import WellplanCore

/// A situation table's statistics: for partners (signed in, smaller minimum) and for the public (fixed
/// tables for one table and one calendar year, nothing to filter), every figure through the `DisclosurePolicy`.
struct StatisticsPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("tables", ":id", "statistics") { req in
            try await req.authorize(.read, .partnerStatistics)
            return try await page(req, .table, audience: .partners)
        }
        routes.get("plans", ":id", "situation-statistics") { req in
            try await req.authorize(.read, .partnerStatistics)
            return try await page(req, .plan, audience: .partners)
        }
        routes.get("public", "situation-tables", ":id", "statistics") { req in
            try await req.authorize(.read, .publishedStatistics)
            return try await page(req, .table, audience: .publicRelease)
        }
    }

    /// Whose discussions the statistics count: the situation table in the path, or every one of the plan's.
    enum Over { case table, plan }

    /// What the statistics cover: one situation table, or every situation table of a plan, over a period.
    struct Scope {
        let title: String
        let tables: [UUID]
        let from: Day
        let to: Day
        let base: String
    }

    /// The statistics in the path's scope, as the given audience may see them. The public has one table
    /// and one calendar year; partners may also take a plan's tables together and any period.
    static func statistics(_ req: Request, _ over: Over, audience: Audience) async throws -> (Scope, DiscussionStatistics) {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw WellplanError.notFound("table") }
        let store = RecordStore(db: req.sql)
        let (from, to) = try period(req, audience)
        let scope: Scope
        if over == .plan {
            guard let plan = try await store.find(Plan.self, id) else { throw WellplanError.notFound("plan") }
            let tables = try await store.list(PartnerTable.self, filters: ["planId": id]).filter { $0.kind == "situation_table" }
            scope = Scope(title: plan.title(req.language), tables: tables.map(\.id), from: from, to: to, base: "/plans/\(id)/situation-statistics")
        } else {
            guard let table = try await store.find(PartnerTable.self, id), table.kind == "situation_table" else { throw WellplanError.notFound("table") }
            scope = Scope(
                title: table.title(req.language), tables: [id], from: from, to: to,
                base: audience == .partners ? "/tables/\(id)/statistics" : "/public/situation-tables/\(id)/statistics")
        }
        let tallies = try await DiscussionCounts(db: req.sql).tallies(.init(tables: scope.tables, from: from, to: to))
        return (scope, DiscussionStatistics(tallies, policy: req.application.settings.disclosure, audience: audience))
    }

    /// `?year=`, or for partners `?from=&to=` (days); the current calendar year by default.
    static func period(_ req: Request, _ audience: Audience) throws -> (Day, Day) {
        if audience == .partners, req.query[String.self, at: "from"] != nil || req.query[String.self, at: "to"] != nil {
            func day(_ name: String) throws -> Day {
                guard let day = try req.queryDay(name) else { throw WellplanError.invalid([FieldProblem(name, "error_required")]) }
                return day
            }
            let (from, to) = (try day("from"), try day("to"))
            guard from <= to else { throw WellplanError.invalid([FieldProblem("to", "error_ends_before_start")]) }
            return (from, to)
        }
        var year = Day.today.year
        if let text = req.query[String.self, at: "year"] {
            guard let y = Int(text), (2000...2100).contains(y) else {
                throw WellplanError.invalid([FieldProblem("year", "error_out_of_range", ["2000", "2100"])])
            }
            year = y
        }
        return (Day(year: year, month: 1, day: 1)!, Day(year: year, month: 12, day: 31)!)
    }

    struct StatisticsPage: Encodable {
        struct Figure: Encodable {
            let label: String
            let value: String
        }
        struct Row: Encodable {
            let label: String
            let cells: [String]
            let total: String?
        }
        struct Section: Encodable {
            let title: String
            let columns: [String]
            let rows: [Row]
            let totals: Row?
            let showsRowTotals: Bool
        }
        let heading: String
        let intro: String
        let years: [PlanExtras.Link]
        let figures: [Figure]
        let sections: [Section]
        let note: String
    }

    func page(_ req: Request, _ over: Over, audience: Audience) async throws -> Response {
        let (scope, stats) = try await Self.statistics(req, over, audience: audience)
        let lang = req.language
        let withheld = req.text("withheld_mark")
        func count(_ n: Int?) -> String { n.map { WellplanCore.Progress.number(Double($0), lang) } ?? withheld }
        func label(_ code: String, _ list: String?) -> String {
            guard let list else { return code }
            return CodeList.all[list]?.label(code, lang) ?? code
        }
        let percent = { (share: Double?) in share.map { WellplanCore.Progress.number($0 * 100, lang) + " %" } ?? withheld }
        let figures: [StatisticsPage.Figure] = [
            .init(label: req.text("stat_discussions"), value: count(stats.discussions)),
            .init(label: req.text("stat_aer_share"), value: percent(stats.aerShare)),
            .init(label: req.text("stat_mobilized"), value: count(stats.mobilized)),
            .init(
                label: req.text("stat_median_mobilization"),
                value: stats.medianMobilizationDays.map { WellplanCore.Progress.number($0, lang) + " " + req.text("days") } ?? withheld),
            .init(label: req.text("stat_within_48"), value: percent(stats.mobilizedWithin48Hours)),
        ]
        let sections = stats.sections.map { section -> StatisticsPage.Section in
            let t = section.table
            let oneColumn = t.columns.count == 1 && section.columnList == nil
            let rows = t.rows.enumerated().map { i, code in
                StatisticsPage.Row(
                    label: label(code, section.rowList), cells: t.cells[i].map(count),
                    total: oneColumn ? nil : t.rowTotals.map { count($0[i]) })
            }
            let totals =
                t.hasTotals
                ? StatisticsPage.Row(
                    label: req.text("total"), cells: oneColumn ? [count(t.grandTotal)] : (t.columnTotals ?? []).map(count),
                    total: oneColumn ? nil : count(t.grandTotal))
                : nil
            return .init(
                title: req.text(section.key),
                columns: oneColumn ? [req.text("stat_count")] : t.columns.map { label($0, section.columnList) },
                rows: rows, totals: totals, showsRowTotals: !oneColumn && t.hasTotals)
        }
        let thisYear = Day.today.year
        let period =
            scope.from.month == 1 && scope.from.day == 1 && scope.to == Day(year: scope.from.year, month: 12, day: 31)!
            ? String(scope.from.year) : "\(scope.from) – \(scope.to)"
        let content = StatisticsPage(
            heading: "\(req.text(audience == .partners ? "statistics_partner_link" : "statistics_public_link")) · \(scope.title) · \(period)",
            intro: req.text(audience == .partners ? "statistics_partner_intro" : "statistics_public_intro"),
            years: ((thisYear - 4)...thisYear).reversed().map { .init(href: "\(scope.base)?year=\($0)", label: String($0)) },
            figures: figures, sections: sections,
            note: req.text("withheld_note", String(stats.minimum)))
        return try await req.page("statistics", title: content.heading, content)
    }
}
