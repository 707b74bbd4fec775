import Foundation

/// The evaluation of a CPTED audit's changes: the site, its recommendations and what was implemented,
/// then incidents before and after in the response, buffer and control areas, the effects (WDQ, total net
/// effect, WDD with its interval) and what they mean in words.
public struct CptedEvaluationReport: Sendable {
    public var audit: CptedAudit
    public var recommendations: [CptedRecommendation]
    public var design: EvaluationDesign
    public var before: String
    public var after: String
    public var control: String
    public var result: WeightedDisplacementQuotient
    public var asOf: Timestamp

    public init(
        audit: CptedAudit, recommendations: [CptedRecommendation], design: EvaluationDesign, before: String,
        after: String, control: String,
        result: WeightedDisplacementQuotient, asOf: Timestamp
    ) {
        self.audit = audit
        self.recommendations = recommendations
        self.design = design
        self.before = before
        self.after = after
        self.control = control
        self.result = result
        self.asOf = asOf
    }

    public func report(_ w: ReportWriting) -> Report {
        let implemented = recommendations.filter { $0.implementedOn != nil }.sorted {
            $0.implementedOn! < $1.implementedOn!
        }
        let site = Report.Section(
            key: "site", title: w.text("report_ce_site"),
            blocks: [
                .findings(
                    [
                        Report.Finding(
                            key: "recommendations",
                            w.sentence(
                                "report_ce_recommendations",
                                [
                                    .figure(w.count("made", recommendations.count)),
                                    .figure(w.count("implemented", implemented.count)),
                                ]),
                            link: .record(.cptedAudit, audit.id))
                    ]
                        + implemented.map { r in
                            Report.Finding(
                                key: "rec-\(r.id)", [.text("\(w.day(r.implementedOn!)): \(r.title(w.language))")],
                                link: .record(.cptedRecommendation, r.id))
                        })
            ])
        let c = result.counts
        func n(_ key: String, _ value: Int) -> Report.Cell { Report.Cell(w.count(key, value)) }
        var rows = [
            [Report.Cell(w.text("evaluation_response")), n("rb", c.response.before), n("ra", c.response.after)]
        ]
        if let buffer = c.buffer {
            rows.append([Report.Cell(w.text("evaluation_buffer")), n("bb", buffer.before), n("ba", buffer.after)])
        }
        rows.append([
            Report.Cell(w.text("evaluation_control") + " (\(control))"), n("cb", c.control.before),
            n("ca", c.control.after),
        ])
        let counts = Report.Table(
            key: "counts", caption: w.text("report_ce_counts"),
            columns: [w.text("report_area"), w.text("report_ce_before", before), w.text("report_ce_after", after)],
            rows: rows)
        func measure(_ key: String, _ name: String, _ value: Double?) -> [Report.Cell] {
            let figure = value.map {
                Report.Figure(key: key, value: ($0 * 100).rounded() / 100, text: String(format: "%.2f", $0))
            }
            return [Report.Cell(name), Report.Cell(figure ?? w.missing(key))]
        }
        let r = result
        let measures = Report.Table(
            key: "effects", caption: w.text("report_ce_effects"),
            columns: [w.text("report_measure"), w.text("report_value")],
            rows: [
                measure("gross", w.text("evaluation_gross_effect"), r.grossEffect.map(Double.init)),
                measure("net", w.text("evaluation_net_effect"), r.netEffect),
                measure("wdq", "WDQ", r.quotient),
                measure("tne", w.text("evaluation_total_net_effect"), r.totalNetEffect),
                measure("wdd", "WDD", r.difference),
                [
                    Report.Cell(w.text("evaluation_interval")),
                    Report.Cell(r.interval.map { String(format: "%.2f … %.2f", $0.lowerBound, $0.upperBound) } ?? "—"),
                ],
            ])
        let words = EvaluationVerdict.words(result, w.language).enumerated().map {
            Report.Finding(key: "verdict-\($0.offset)", [.text($0.element)])
        }
        return Report(
            kind: .cptedEvaluation, language: w.language, title: audit.siteName,
            subtitle: w.text("report_ce_subtitle", w.day(design.implementedOn)),
            from: design.before.lowerBound, to: design.after.upperBound.adding(days: -1), asOf: asOf,
            sections: [
                site,
                Report.Section(
                    key: "evaluation", title: w.text("report_ce_evaluation"),
                    blocks: [
                        .paragraph(
                            w.text(
                                "report_ce_design", String(design.months), w.number(design.siteRadius),
                                w.number(design.bufferWidth))),
                        .table(counts), .table(measures), .findings(words),
                    ]),
            ],
            sources: [
                Report.Source(
                    w.text("report_ce_source"),
                    link: Report.Link(SiteURL.evaluation(.cptedAudit, audit.id)))
            ])
    }
}
