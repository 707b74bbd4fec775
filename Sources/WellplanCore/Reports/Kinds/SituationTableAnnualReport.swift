import Foundation

/// A situation table's year in de-identified figures: how many situations it discussed, how many met the
/// threshold of acutely elevated risk, how fast agencies mobilized, and the RTD's tables, every one through
/// the disclosure policy before it reaches the report.
public struct SituationTableAnnualReport: Sendable {
    public var table: PartnerTable
    public var from: Day
    public var to: Day
    public var statistics: DiscussionStatistics
    public var asOf: Timestamp

    public init(table: PartnerTable, from: Day, to: Day, statistics: DiscussionStatistics, asOf: Timestamp) {
        self.table = table
        self.from = from
        self.to = to
        self.statistics = statistics
        self.asOf = asOf
    }

    public func report(_ w: ReportWriting) -> Report {
        let name = w.choose(table.nameEn, table.nameFr)
        // The statistics are a release: a year, or a quarter.
        let release =
            from.month == 1 && to.month == 12 ? String(from.year) : "\(from.year)-Q\((from.month - 1) / 3 + 1)"
        return Report(
            kind: .situationTableAnnual, language: w.language, title: name,
            subtitle: w.text("report_st_subtitle", w.period(from, to)), from: from, to: to,
            asOf: asOf, sections: [Self.section(statistics, key: "statistics", title: w.text("report_st_figures"), w)],
            sources: [
                Report.Source(
                    w.text("report_st_source"),
                    link: Report.Link(
                        statistics.audience == .publicRelease
                            ? SiteURL.publicStatistics(table: table.id, period: release)
                            : SiteURL.table(table.id, .statistics)))
            ])
    }

    /// The statistics as a section: the headline figures, then each RTD table with its totals.
    static func section(_ s: DiscussionStatistics, key: String, title: String, _ w: ReportWriting) -> Report.Section {
        func count(_ k: String, _ n: Int?) -> Report.Figure { n.map { w.count(k, $0) } ?? w.withheld(k) }
        let findings = [
            Report.Finding(
                key: "discussions", w.sentence("report_st_discussions", [.figure(count("discussions", s.discussions))])),
            Report.Finding(key: "aer", w.sentence("report_st_aer", [.figure(w.percent("aer", s.aerShare))])),
            Report.Finding(
                key: "mobilized", w.sentence("report_st_mobilized", [.figure(count("mobilized", s.mobilized))])),
            Report.Finding(
                key: "median-days",
                w.sentence(
                    "report_st_median_days",
                    [
                        .figure(
                            s.medianMobilizationDays.map { Report.Figure(key: "median", value: $0, text: w.number($0)) }
                                ?? w.withheld("median"))
                    ])),
            Report.Finding(
                key: "within-48",
                w.sentence("report_st_within_48", [.figure(w.percent("within-48", s.mobilizedWithin48Hours))])),
        ]
        var blocks: [Report.Block] = [.findings(findings)]
        for section in s.sections {
            let t = section.table
            func label(_ code: String, _ list: String?) -> String {
                list.flatMap { CodeList.all[$0]?.label(code, w.language) } ?? code
            }
            func cell(_ n: Int?) -> Report.Cell { Report.Cell(count("n", n)) }
            let oneColumn = t.columns.count == 1 && section.columnList == nil
            var columns =
                [w.text(section.key)]
                + (oneColumn ? [w.text("stat_count")] : t.columns.map { label($0, section.columnList) })
            if !oneColumn && t.hasTotals { columns.append(w.text("total")) }
            var rows = t.rows.enumerated().map { i, code in
                [Report.Cell(label(code, section.rowList))] + t.cells[i].map(cell)
                    + (oneColumn || !t.hasTotals ? [] : [cell(t.rowTotals?[i])])
            }
            if t.hasTotals {
                rows.append(
                    [Report.Cell(w.text("total"))]
                        + (oneColumn ? [cell(t.grandTotal)] : (t.columnTotals ?? []).map(cell) + [cell(t.grandTotal)]))
            }
            blocks.append(
                .table(
                    Report.Table(
                        key: "\(key)-\(section.key)", caption: w.text(section.key), columns: columns, rows: rows)))
        }
        blocks.append(.note(w.text("withheld_note", String(s.minimum))))
        return Report.Section(key: key, title: title, blocks: blocks)
    }
}
