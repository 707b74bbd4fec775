import Vapor
import WellplanCore

struct EvaluationPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        for (path, read) in EvaluationSubject.readers {
            routes.get(path, ":id", "evaluation") { req in try await evaluation(req, read) }
        }
    }

    struct Page: Encodable {
        struct Row: Encodable {
            let area: String
            let before: String
            let after: String
        }
        struct Measure: Encodable {
            let name: String
            let value: String
        }
        let heading: String
        let kind: String
        let subjectHref: String
        let asksForDay: Bool
        let changedOn: String
        let layers: [RecordView.FormField.Option]
        let code: String
        let months: String
        let siteRadius: String
        let bufferWidth: String
        let windows: String?
        let rows: [Row]
        let measures: [Measure]
        let words: [String]
        /// Drawn by `BarChart`, as reports draw it.
        let chart: String?
    }

    func evaluation(_ req: Request, _ read: EvaluationSubject.Reader) async throws -> Response {
        let (subject, outcome) = try await EvaluationSubject.outcome(req, read)
        let lang = req.language
        let layers = try await Records(db: req.sql).list(Layer.self)
        let chosen = req.query[String.self, at: "controlLayerId"]
        var rows: [Page.Row] = [], measures: [Page.Measure] = [], words: [String] = []
        var chart: String?
        if let outcome {
            let counts = outcome.result.counts
            let areas: [(name: String, pair: PrePostCounts.Pair)] = [
                (req.text("evaluation_response"), counts.response), (req.text("evaluation_buffer"), counts.buffer),
                (req.text("evaluation_control"), counts.control),
            ].compactMap { name, pair in pair.map { (name, $0) } }
            rows = areas.map { Page.Row(area: $0.name, before: String($0.pair.before), after: String($0.pair.after)) }
            let w = outcome.result
            func f(_ x: Double?) -> String { x.map { String(format: "%.2f", $0) } ?? "—" }
            measures = [
                .init(name: req.text("evaluation_gross_effect"), value: w.grossEffect.map(String.init) ?? "—"),
                .init(name: req.text("evaluation_net_effect"), value: f(w.netEffect)),
                .init(name: "WDQ", value: f(w.quotient)),
                .init(name: req.text("evaluation_total_net_effect"), value: f(w.totalNetEffect)),
                .init(name: "WDD", value: f(w.difference)),
                .init(
                    name: req.text("evaluation_interval"),
                    value: w.interval.map { "\(f($0.lowerBound)) … \(f($0.upperBound))" } ?? "—"),
            ]
            words = EvaluationVerdict.words(w, lang)
            // A bar per area and window, each labelled with its count.
            let bars = areas.flatMap { area in
                [("evaluation_before", area.pair.before), ("evaluation_after", area.pair.after)].map { key, count in
                    BarChart.Bar(label: "\(area.name) · \(req.text(key))", value: Double(count), text: String(count))
                }
            }
            let said = bars.map { "\($0.label): \($0.text)" }.joined(separator: ". ")
            chart =
                BarChart(id: "evaluation-chart", title: req.text("evaluation_chart"), description: said, bars: bars)
                .figure
        }
        let content = Page(
            heading: req.text("evaluation_heading") + " · " + subject.title, kind: req.text(subject.kindLabelKey),
            subjectHref: subject.href,
            asksForDay: subject.asksForDay, changedOn: subject.changedOn?.description ?? "",
            layers: layers.map {
                .init(value: $0.id.uuidString, label: $0.title(lang), selected: $0.id.uuidString == chosen)
            },
            code: req.query[String.self, at: "controlAreaCode"] ?? "",
            months: req.query[String.self, at: "months"] ?? "12",
            siteRadius: req.query[String.self, at: "siteRadius"] ?? "100",
            bufferWidth: req.query[String.self, at: "bufferWidth"] ?? "200",
            windows: outcome.map {
                "\(req.text("evaluation_before")): \($0.before); \(req.text("evaluation_after")): \($0.after)"
            }, rows: rows,
            measures: measures, words: words, chart: chart)
        return try await req.page("evaluation", title: content.heading, content)
    }
}
