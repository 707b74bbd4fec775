import SQLKit
import Vapor
import WellplanCore

/// A situation table's statistics: for partners (signed in, smaller minimum) and for the public (fixed
/// tables for one table and one calendar year, nothing to filter), every figure through the `DisclosurePolicy`.
struct StatisticsPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("tables", ":id", "statistics", use: partners)
        routes.get("public", "situation-tables", ":id", "statistics", use: publicRelease)
    }

    @Sendable func partners(req: Request) async throws -> Response {
        try await req.authorize(.read, .partnerStatistics)
        return try await page(req, audience: .partners)
    }

    @Sendable func publicRelease(req: Request) async throws -> Response {
        try await req.authorize(.read, .publishedStatistics)
        return try await page(req, audience: .publicRelease)
    }

    /// The statistics of a situation table for a calendar year, as the given audience may see them.
    static func statistics(_ req: Request, audience: Audience) async throws -> (PartnerTable, Int, DiscussionStatistics) {
        guard let id = req.parameters.get("id", as: UUID.self),
            let table = try await RecordStore(db: req.sql).find(PartnerTable.self, id), table.kind == "situation_table"
        else { throw WellplanError.notFound("table") }
        let year = try year(req)
        let tallies = try await DiscussionCounts(db: req.sql).tallies(
            .init(tables: [id], from: Day(year: year, month: 1, day: 1)!, to: Day(year: year, month: 12, day: 31)!))
        return (table, year, DiscussionStatistics(tallies, policy: req.application.settings.disclosure, audience: audience))
    }

    static func year(_ req: Request) throws -> Int {
        guard let text = req.query[String.self, at: "year"] else { return Day.today.year }
        guard let year = Int(text), (2000...2100).contains(year) else {
            throw WellplanError.invalid([FieldProblem("year", "error_out_of_range", ["2000", "2100"])])
        }
        return year
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

    func page(_ req: Request, audience: Audience) async throws -> Response {
        let (table, year, stats) = try await Self.statistics(req, audience: audience)
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
            .init(label: req.text("stat_median_mobilization"),
                  value: stats.medianMobilizationDays.map { WellplanCore.Progress.number($0, lang) + " " + req.text("days") } ?? withheld),
            .init(label: req.text("stat_within_48"), value: percent(stats.mobilizedWithin48Hours)),
        ]
        let sections = stats.sections.map { section -> StatisticsPage.Section in
            let t = section.table
            let oneColumn = t.columns.count == 1 && section.columnList == nil
            let rows = t.rows.enumerated().map { i, code in
                StatisticsPage.Row(label: label(code, section.rowList), cells: t.cells[i].map(count),
                                   total: oneColumn ? nil : t.rowTotals.map { count($0[i]) })
            }
            let totals = t.hasTotals
                ? StatisticsPage.Row(label: req.text("total"), cells: oneColumn ? [count(t.grandTotal)] : (t.columnTotals ?? []).map(count),
                                     total: oneColumn ? nil : count(t.grandTotal))
                : nil
            return .init(title: req.text(section.key),
                         columns: oneColumn ? [req.text("stat_count")] : t.columns.map { label($0, section.columnList) },
                         rows: rows, totals: totals, showsRowTotals: !oneColumn && t.hasTotals)
        }
        let thisYear = Day.today.year
        let base = audience == .partners ? "/tables/\(table.id)/statistics" : "/public/situation-tables/\(table.id)/statistics"
        let content = StatisticsPage(
            heading: "\(req.text(audience == .partners ? "statistics_partner_link" : "statistics_public_link")) · \(table.ownTitle(lang) ?? "") · \(year)",
            intro: req.text(audience == .partners ? "statistics_partner_intro" : "statistics_public_intro"),
            years: ((thisYear - 4)...thisYear).reversed().map { .init(href: "\(base)?year=\($0)", label: String($0)) },
            figures: figures, sections: sections,
            note: req.text("withheld_note").replacingOccurrences(of: "{0}", with: String(stats.minimum)))
        return try await req.page("statistics", title: content.heading, content)
    }
}
