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
        /// The period as released beyond the table (nil: live, for the table's own members).
        let period: Period?
    }

    /// The statistics in the path's scope, as the given audience may see them. A table's own members see
    /// it live over any days (`?from=&to=`); everyone else sees released periods only
    /// (`?period=2025` or `2025-Q2`; `?year=`), protected with every release they add up with.
    static func statistics(_ req: Request, _ over: Over, audience: Audience) async throws -> (
        Scope, DiscussionStatistics
    ) {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw WellplanError.notFound("table") }
        let store = Records(db: req.sql)
        let policy = req.application.settings.disclosure
        let counts = DiscussionCounts(db: req.sql)
        let title: String, base: String
        var tables: [PartnerTable]
        var plan: UUID?
        var asked: PartnerTable?
        if over == .plan {
            guard let found = try await store.find(Plan.self, id) else { throw WellplanError.notFound("plan") }
            title = found.title(req.language)
            base = SiteURL.plan(id, .situationStatistics).path
            plan = id
            tables = try await situationTables(of: id, store)
        } else {
            guard let table = try await store.find(PartnerTable.self, id), table.kind == .situationTable else {
                throw WellplanError.notFound("table")
            }
            title = table.title(req.language)
            asked = table
            base =
                audience == .partners ? SiteURL.table(id, .statistics).path : SiteURL.publicStatistics(table: id).path
            let together = try await releasedTogether(with: table, store)
            tables = together.tables
            plan = together.withPlan ? table.planId : nil
        }
        let actor = try await req.actor()
        if over == .table, audience == .partners, actor.tables.contains(id) {
            // The table's own members know its discussions: live, over any days or period, this year by default.
            let chosen = try days(req) ?? requested(req).map { ($0.start, $0.end.adding(days: -1)) }
            let year = Period.year(req.clock.today.year)
            let (from, to) = chosen ?? (year.start, year.end.adding(days: -1))
            let tallies = try await counts.tallies(.init(tables: [id], from: from, to: to))
            let scope = Scope(title: title, tables: [id], from: from, to: to, base: base, period: nil)
            return (scope, DiscussionStatistics(tallies, policy: policy, audience: audience))
        }
        if try days(req) != nil { throw WellplanError.invalid([FieldProblem("from", "error_days_members_only")]) }
        // Beyond its members, a table's statistics go only where its members chose to share them.
        if over == .table, let asked, !asked.sharesStatistics(with: audience) { throw WellplanError.notFound("table") }
        let period = try released(req)
        let released = try await release(
            period, of: tables, withPlan: plan != nil, ReleasedQuarters(db: req.db, clock: req.clock),
            policy: policy, audience: audience, patience: Self.patience)
        let statistics = over == .plan ? released.plan! : released.tables[tables.firstIndex { $0.id == id }!]
        let scope = Scope(
            title: title, tables: over == .plan ? tables.map(\.id) : [id], from: period.start,
            to: period.end.adding(days: -1), base: base,
            period: period)
        return (scope, statistics)
    }

    /// The release of `period` for each of `tables` and, `withPlan`, for all of them together, from the
    /// quarters as they were first released; waited for at most `patience` (nil: as long as it takes).
    static func release(
        _ period: Period, of tables: [PartnerTable], withPlan: Bool, _ released: ReleasedQuarters,
        policy: DisclosurePolicy, audience: Audience, patience: Duration? = nil, memo: ReleaseMemo = .shared
    ) async throws -> ReleaseMemo.Release {
        // The quarters after the one asked for are no part of its release.
        let inRelease = (1...4).map { Period.quarter(period.start.year, $0) }.filter { $0.end <= period.end }
        let quarters = try await released.tallies(tables.map(\.id), inRelease).map { each in
            each + Array(repeating: DiscussionTallies(), count: 4 - each.count)
        }
        return try await memo.statistics(
            period, quarters: quarters, withPlan: withPlan, policy: policy, audience: audience, patience: patience)
    }

    /// The release a report over `from`–`to` shows: the latest year out within it, else the latest quarter
    /// out within it, else the latest release out by its end.
    static func release(within from: Day, _ to: Day, today: Day) -> Period {
        let out = { (p: Period) in
            StatisticsRelease.isOut(p, today: today) && p.start >= from && p.end.adding(days: -1) <= to
        }
        let years = (from.year...max(from.year, to.year)).reversed().map { Period.year($0) }
        let quarters = years.flatMap { y in (1...4).reversed().map { Period.quarter(y.start.year, $0) } }
        if let year = years.first(where: out) { return year }
        if let quarter = quarters.first(where: out) { return quarter }
        let latest = StatisticsRelease.latest(today: today)
        return latest.end <= to.adding(days: 1)
            ? latest : StatisticsRelease.latest(today: to.adding(days: 1).adding(months: 1))
    }

    /// How long a reader waits for a release being worked out before being asked to come back.
    static let patience = Duration.seconds(10)

    /// The tables a table's release is worked out with: its plan's tables that share their statistics, which
    /// partners see together, when it is one of them; else the table alone.
    static func releasedTogether(with table: PartnerTable, _ store: Records) async throws -> (
        tables: [PartnerTable], withPlan: Bool
    ) {
        guard let plan = table.planId else { return ([table], false) }
        let sharing = try await situationTables(of: plan, store)
        return sharing.contains { $0.id == table.id } ? (sharing, true) : ([table], false)
    }

    /// A plan's situation tables that share their statistics with partners (and so with each other's).
    static func situationTables(of plan: UUID, _ store: Records) async throws -> [PartnerTable] {
        try await store.list(PartnerTable.self, filters: ["planId": plan])
            .filter { $0.kind == .situationTable && $0.sharesStatistics(with: .partners) }
            .sorted { $0.id.uuidString < $1.id.uuidString }
    }

    /// `?from=&to=` (days), when given.
    static func days(_ req: Request) throws -> (Day, Day)? {
        guard req.query[String.self, at: "from"] != nil || req.query[String.self, at: "to"] != nil else { return nil }
        func day(_ name: String) throws -> Day {
            guard let day = try req.queryDay(name) else {
                throw WellplanError.invalid([FieldProblem(name, "error_required")])
            }
            return day
        }
        let (from, to) = (try day("from"), try day("to"))
        guard from <= to else { throw WellplanError.invalid([FieldProblem("to", "error_ends_before_start")]) }
        return (from, to)
    }

    /// `?period=` (a year or a quarter) or `?year=`, when given.
    static func requested(_ req: Request) throws -> Period? {
        guard let text = req.query[String.self, at: "period"] ?? req.query[String.self, at: "year"] else { return nil }
        guard let chosen = StatisticsRelease.period(text), (2000...2100).contains(chosen.start.year) else {
            throw WellplanError.invalid([FieldProblem("period", "error_not_release_period")])
        }
        return chosen
    }

    /// The period asked for, which must be out; the latest release by default.
    static func released(_ req: Request) throws -> Period {
        let today = req.clock.today
        let period = try requested(req) ?? StatisticsRelease.latest(today: today)
        guard StatisticsRelease.isOut(period, today: today) else {
            throw WellplanError.invalid([
                FieldProblem("period", "error_not_released", [period.end.adding(months: 1).description])
            ])
        }
        return period
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
        let percent = { (share: Double?) in
            share.map { WellplanCore.Progress.number($0 * 100, lang) + " %" } ?? withheld
        }
        let figures: [StatisticsPage.Figure] = [
            .init(label: req.text("stat_discussions"), value: count(stats.discussions)),
            .init(label: req.text("stat_aer_share"), value: percent(stats.aerShare)),
            .init(label: req.text("stat_mobilized"), value: count(stats.mobilized)),
            .init(
                label: req.text("stat_median_mobilization"),
                value: stats.medianMobilizationDays.map {
                    WellplanCore.Progress.number($0, lang) + " " + req.text("days")
                } ?? withheld),
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
                    label: req.text("total"),
                    cells: oneColumn ? [count(t.grandTotal)] : (t.columnTotals ?? []).map(count),
                    total: oneColumn ? nil : count(t.grandTotal))
                : nil
            return .init(
                title: req.text(section.key),
                columns: oneColumn ? [req.text("stat_count")] : t.columns.map { label($0, section.columnList) },
                rows: rows, totals: totals, showsRowTotals: !oneColumn && t.hasTotals)
        }
        let period = scope.period?.label(lang) ?? "\(scope.from) – \(scope.to)"
        // The releases of the last three years, latest first.
        let today = req.clock.today
        let latest = StatisticsRelease.latest(today: today)
        let releases = ((latest.start.year - 2)...latest.start.year).reversed().flatMap { y in
            [Period.year(y)] + (1...4).reversed().map { Period.quarter(y, $0) }
        }.filter { StatisticsRelease.isOut($0, today: today) }
        let content = StatisticsPage(
            heading:
                "\(req.text(audience == .partners ? "statistics_partner_link" : "statistics_public_link")) · \(scope.title) · \(period)",
            intro: req.text(audience == .partners ? "statistics_partner_intro" : "statistics_public_intro"),
            years: releases.map { .init(href: "\(scope.base)?period=\($0)", label: $0.label(lang)) },
            figures: figures, sections: sections,
            note: req.text("withheld_note", String(stats.minimum)))
        return try await req.page("statistics", title: content.heading, content)
    }
}
