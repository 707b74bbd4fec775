import Vapor
import WellplanCore

/// A measure's page: its definition, scorecard, chart and table, with downloads of exactly what is shown.
/// Partners see it at `/measures/:id/series`; the public sees a published measure at `/public/measures/:id`,
/// through the disclosure policy's public minimum.
struct MeasurePage: Encodable {
    struct Fact: Encodable {
        let name: String
        let value: String
    }
    struct Row: Encodable {
        let period: String
        let area: String
        let breakdown: String
        let value: String
        let target: String
        let note: String
    }
    let heading: String
    let result: String
    let facts: [Fact]
    let scorecard: [Fact]
    /// Drawn by `LineChart`, the same drawing the chart's download carries.
    let chart: String?
    let rows: [Row]
    let withheldNote: String?
    let csvHref: String
    let jsonHref: String
    let geojsonHref: String?
    let chartHref: String?
    let recordHref: String?
    let canEnter: Bool
    let problems: [ErrorResponses.Body.Problem]
    /// Drawn by `AreaMap`, as every map is.
    let map: String?

    /// The measure's figures for the whole area over time against its targets, drawn by `LineChart` with a
    /// description that says them in words; nil when there is no figure and no target to draw.
    static func chart(_ view: MeasureView, _ req: Request) -> String? {
        let lang = req.language, m = view.measure
        let format = FigureFormat(m, lang)
        let overall = view.figures.filter { $0.areaCode == nil && $0.breakdown.isEveryone }
        let targets = view.targetsByPeriod
        let periods = Array(Set(overall.map(\.period)).union(targets.keys)).sorted()
        let actual = Dictionary(overall.map { ($0.period, $0.value) }) { a, _ in a }
        let names = (req.text("measure_actual"), req.text("field_target"))
        let chart = LineChart(periods: periods, actual: actual, target: targets, format: format, names: names)
        guard !chart.isEmpty else { return nil }
        let withheldMark = req.text("measure_withheld")
        func text(_ x: Double?) -> String { x.map(format.text) ?? "—" }
        let said = overall.map { "\($0.period.label(lang)) \($0.withheld ? withheldMark : text($0.value))" }
        var described = "\(m.name(lang)): " + said.joined(separator: "; ")
        if !targets.isEmpty {
            let sorted = targets.sorted { $0.key < $1.key }
            let targetText = sorted.map { "\($0.key.label(lang)) \(text($0.value))" }.joined(separator: "; ")
            described += ". \(req.text("field_target")): " + targetText
        }
        let title = "\(m.name(lang)) · \(m.unit.label(lang))"
        return chart.svg(id: "chart", title: title, description: described)
    }

    static func make(
        _ view: MeasureView, _ req: Request, base: String, recordHref: String?, canEnter: Bool, map: AreaMap? = nil,
        problems: [FieldProblem] = []
    ) -> MeasurePage {
        let lang = req.language, m = view.measure
        let format = FigureFormat(m, lang)
        func text(_ x: Double?) -> String { x.map(format.text) ?? "—" }
        func percent(_ x: Double?) -> String {
            x.map { FigureFormat(decimals: 1, unit: .percent, language: lang).text($0 * 100) } ?? "—"
        }
        let targets = view.targetsByPeriod
        let chart = chart(view, req)
        let withheldMark = req.text("measure_withheld")
        let s = view.scorecard
        let trend = s.trend.map { t in
            "\(req.text("trend_\(t.direction.rawValue)")) · \(t.periods) \(req.text("trend_periods")) · \(req.text("trend_\(t.judgement.rawValue)"))"
        }
        return MeasurePage(
            heading: m.name(lang),
            result: (lang == .fr ? m.resultFr ?? m.resultEn : m.resultEn) ?? "",
            facts: [
                (req.text("field_measureType"), m.measureType.label(lang)),
                (req.text("field_quadrant"), m.quadrant.map { CodeList.rbaQuadrants.label($0, lang) } ?? ""),
                (
                    req.text("field_definitionEn"),
                    (lang == .fr ? m.definitionFr ?? m.definitionEn : m.definitionEn) ?? ""
                ),
                (req.text("field_unit"), m.unit.label(lang)),
                (req.text("field_polarity"), m.polarity.label(lang)),
                (req.text("field_frequency"), m.frequency.label(lang)),
                (req.text("field_dataSource"), m.dataSource ?? ""),
                (req.text("field_collectionMethod"), m.collectionMethod ?? ""),
                (req.text("field_responsibility"), m.responsibility ?? ""),
                (req.text("field_licence"), m.licence ?? ""),
                (
                    req.text("field_baselineValue"),
                    m.baselineValue.map { "\(format.text($0)) (\(m.baselinePeriod ?? ""))" } ?? ""
                ),
            ].filter { !$0.1.isEmpty }.map { Fact(name: $0.0, value: $0.1) },
            scorecard: [
                (
                    req.text("score_current"),
                    s.currentActual.map { "\(format.text($0)) (\(s.currentPeriod?.label(lang) ?? ""))" } ?? "—"
                ),
                (
                    req.text("score_prior"),
                    s.priorActual.map { "\(format.text($0)) (\(s.priorPeriod?.label(lang) ?? ""))" } ?? "—"
                ),
                (req.text("score_target"), text(s.currentTarget)),
                (req.text("score_variance"), percent(s.varianceFromTarget)),
                (
                    req.text("score_percent_of_target"),
                    s.percentOfTarget.map { FigureFormat(decimals: 1, unit: .percent, language: lang).text($0) } ?? "—"
                ),
                (req.text("score_trend"), trend ?? "—"), (req.text("score_baseline_change"), percent(s.baselineChange)),
                (
                    req.text("score_next_target"),
                    s.nextTarget.map { "\(format.text($0)) (\(s.nextPeriod?.label(lang) ?? ""))" } ?? "—"
                ),
                (req.text("field_forecast"), text(s.forecast)),
            ].map { Fact(name: $0.0, value: $0.1) },
            chart: chart,
            rows: view.figures.map { f in
                Row(
                    period: f.period.label(lang), area: f.areaCode ?? req.text("measure_whole_area"),
                    breakdown: f.breakdown.isEveryone
                        ? req.text("measure_everyone")
                        : f.breakdown.pairs.map { "\(CodeList.disaggregations.label($0.dimension, lang)): \($0.value)" }
                            .joined(separator: ", "),
                    value: f.withheld ? withheldMark : text(f.value),
                    target: f.areaCode == nil && f.breakdown.isEveryone ? targets[f.period].map(format.text) ?? "" : "",
                    note: f.note ?? "")
            },
            withheldNote: view.withheld > 0 ? req.text("measure_withheld_note", String(view.minimum ?? 0)) : nil,
            csvHref: base + "/data.csv", jsonHref: base + "/data.json",
            geojsonHref: view.measure.layerId == nil ? nil : base + "/data.geojson",
            chartHref: chart == nil ? nil : base + "/chart.svg", recordHref: recordHref, canEnter: canEnter,
            problems: req.shown(problems), map: map?.figure)
    }
}

extension MeasureView {
    /// The measure's targets by period (the first where a period has two).
    var targetsByPeriod: [Period: Double] {
        let pairs = targets.compactMap { t in Period(t.period).flatMap { p in t.target.map { (p, $0) } } }
        return Dictionary(pairs) { a, _ in a }
    }

    /// The figures by area (for everyone, not a breakdown) of one period, the latest by default, by area code:
    /// what the map draws and the GeoJSON carries.
    func byArea(in period: Period? = nil) -> (period: Period?, figures: [String: ShownFigure]) {
        let byArea = figures.filter { $0.areaCode != nil && $0.breakdown.isEveryone }
        let period = period ?? byArea.map(\.period).max()
        return (period, Dictionary(byArea.filter { $0.period == period }.map { ($0.areaCode!, $0) }) { a, _ in a })
    }
}

/// A measure's latest figures by area as a choropleth of its layer: shades by quantile with their ranges
/// in the legend, withheld areas hatched and areas without a figure left white, each named in words.
enum MeasureMap {
    static func load(_ view: MeasureView, _ req: Request) async throws -> AreaMap? {
        let (period, figures) = view.byArea()
        guard let layer = view.measure.layerId, let latest = period else { return nil }
        let areas = try await Areas(db: req.db, author: req.author).shapes(layer)
        guard !areas.isEmpty else { return nil }
        let lang = req.language, format = FigureFormat(view.measure, lang)
        let classes = MapClasses(figures.values.compactMap(\.value))
        let frame = MapFrame(bounds: BoundingBox(enclosing: areas.map(\.shape)))
        let withheld = req.text("measure_withheld"), none = req.text("map_no_figure")
        return AreaMap(
            id: "map", title: "\(view.measure.name(lang)) · \(latest.label(lang))",
            description: req.text("map_measure_description", latest.label(lang)), frame: frame,
            areas: areas.map { a in
                let f = figures[a.code]
                let (fill, said) =
                    f?.withheld == true
                    ? (AreaMap.withheld, withheld)
                    : f?.value.map { (classes.shade(of: $0), format.text($0)) } ?? ("#ffffff", none)
                return AreaMap.Area(path: frame.path(a.shape), fill: fill, label: "\(a.name): \(said)")
            },
            legend: zip(classes.upperBounds, classes.ranges(format.text, over: req.text("map_over"))).map {
                AreaMap.Key(fill: classes.shade(of: $0.0), range: $0.1)
            }
                + [AreaMap.Key(fill: AreaMap.withheld, range: withheld), AreaMap.Key(fill: "#ffffff", range: none)])
    }
}

/// `/measures/:id/series` for partners, with its downloads and the form to enter a figure.
struct MeasurePages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("measures", ":id", "series", use: series)
        routes.post("measures", ":id", "series", use: enter)
        routes.get("measures", ":id", "series", "data.csv") { req in MeasureDownloads.csv(try await view(req)) }
        routes.get("measures", ":id", "series", "data.json") { req in try jsonResponse(try await view(req)) }
        routes.get("measures", ":id", "series", "data.geojson") { req in
            try await MeasureDownloads.geoJSON(try await view(req), req)
        }
        routes.get("measures", ":id", "series", "chart.svg") { req in
            try await MeasureDownloads.chart(try await view(req), req)
        }
        routes.get("plans", ":id", "scorecard", use: scorecard)
    }

    func view(_ req: Request) async throws -> MeasureView {
        try await MeasureView.load(try await req.authorizedRecord(Measure.self, .read), req, audience: .partners)
    }

    func page(_ req: Request, problems: [FieldProblem] = [], status: HTTPStatus = .ok) async throws -> Response {
        let view = try await view(req)
        _ = req.csrfToken
        let actor = try await req.actor()
        let canEnter =
            !view.measure.isCalculated && AccessPolicy.permits(actor, .update, .record(.measure, owningTable: nil))
        let content = MeasurePage.make(
            view, req, base: SiteURL.measureSeries(view.measure.id).path,
            recordHref: SiteURL.record(.measure, view.measure.id).path,
            canEnter: canEnter,
            map: try await MeasureMap.load(view, req), problems: problems)
        return try await req.page("measure", title: content.heading, status: status, content)
    }

    @Sendable func series(req: Request) async throws -> Response { try await page(req) }

    /// One figure typed in: period, value, and where it is about an area or a breakdown, those.
    @Sendable func enter(req: Request) async throws -> Response {
        let measure = try await req.authorizedRecord(Measure.self, .update)
        struct Form: Content {
            var period, value, areaCode, breakdown, note: String?
        }
        let form = try req.content.decode(Form.self)
        // The value is typed as text: one that is not a number is told as such, not as missing.
        var value: Double?, notANumber: FieldProblem?
        switch FigureText.read(form.value ?? "") {
        case .number(let n): value = n
        case .missing: break
        case .invalid: notANumber = FieldProblem("value", "error_not_number")
        }
        let observation: Observation
        do throws(WellplanError) {
            observation = try Observation.entered(
                period: form.period ?? "", areaCode: form.areaCode, breakdown: form.breakdown, value: value,
                note: form.note)
            if let notANumber { throw .invalid([notANumber]) }
        } catch {
            guard case .invalid(let problems) = error else { throw error }
            let told = notANumber.map { [$0] + problems.filter { $0.field != "value" } } ?? problems
            return try await page(req, problems: told, status: .unprocessableEntity)
        }
        do {
            try await Observations(db: req.db, author: req.author).save([observation], of: measure)
        } catch WellplanError.conflict(let key) {
            return try await page(req, problems: [FieldProblem("value", key)], status: .conflict)
        }
        return req.redirect(to: SiteURL.measureSeries(measure.id).path, redirectType: .normal)
    }

    struct ScorecardPage: Encodable {
        struct Row: Encodable {
            let name: String
            let href: String
            let period: String
            let current: String
            let prior: String
            let target: String
            let variance: String
            let percentOfTarget: String
            let trend: String
            let judgement: String
            let baseline: String
        }
        let heading: String
        let planHref: String
        let rows: [Row]
        let importHref: String
    }

    @Sendable func scorecard(req: Request) async throws -> Response {
        let plan = try await req.authorizedRecord(Plan.self, .read)
        let lang = req.language
        var rows: [ScorecardPage.Row] = []
        let measures = try await Records(db: req.sql).list(Measure.self, filters: ["planId": plan.id])
        for view in try await MeasureView.load(measures, req, audience: .partners, wholeAreaOnly: true) {
            rows.append(ScorecardPage.row(view, req, href: SiteURL.measureSeries(view.measure.id).path))
        }
        let content = ScorecardPage(
            heading: req.text("scorecard_heading") + " · " + plan.title(lang),
            planHref: SiteURL.record(.plan, plan.id).path,
            rows: rows,
            importHref: SiteURL.plan(plan.id, .observationImport).path)
        return try await req.page("scorecard", title: content.heading, content)
    }
}

extension MeasurePages.ScorecardPage {
    static func row(_ view: MeasureView, _ req: Request, href: String) -> Row {
        let lang = req.language, s = view.scorecard
        let format = FigureFormat(view.measure, lang),
            percent = FigureFormat(decimals: 1, unit: .percent, language: lang)
        func text(_ x: Double?) -> String { x.map(format.text) ?? "—" }
        return Row(
            name: view.measure.name(lang), href: href, period: s.currentPeriod?.label(lang) ?? "—",
            current: text(s.currentActual), prior: text(s.priorActual),
            target: text(s.currentTarget), variance: s.varianceFromTarget.map { percent.text($0 * 100) } ?? "—",
            percentOfTarget: s.percentOfTarget.map(percent.text) ?? "—",
            trend: s.trend.map {
                let arrow =
                    switch $0.direction {
                    case .up: "▲"
                    case .down: "▼"
                    case .flat: "▶"
                    }
                let direction = req.text("trend_\($0.direction.rawValue)")
                return "\(arrow) \(direction) · \($0.periods) · " + req.text("trend_\($0.judgement.rawValue)")
            } ?? "—",
            judgement: s.trend.map { $0.judgement.rawValue } ?? "neutral",
            baseline: s.baselineChange.map { percent.text($0 * 100) } ?? "—")
    }
}

/// The downloads of a measure page: exactly the figures shown, as CSV, and the chart as a standalone SVG.
enum MeasureDownloads {
    static func csv(_ view: MeasureView) -> Response {
        StoredFiles.response(
            Data(view.csv.utf8), type: HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"]),
            fileName: "\(view.measure.code).csv")
    }

    /// The figures by area of one period (`?period=`, the latest by default) on the measure's layer, as GeoJSON:
    /// each area's boundary as imported, its figure in its properties; null where withheld (with `withheld`
    /// true) or where the area has none. The geometries were checked as GeoJSON when imported, so they go in as they are.
    static func geoJSON(_ view: MeasureView, _ req: Request) async throws -> Response {
        guard let layer = view.measure.layerId else { throw WellplanError.notFound("layer") }
        var asked: Period?
        if let text = req.query[String.self, at: "period"] {
            guard let chosen = Period(text) else {
                throw WellplanError.invalid([FieldProblem("period", "error_not_period")])
            }
            asked = chosen
        }
        let (period, figures) = view.byArea(in: asked)
        struct Properties: Encodable {
            let measure: String
            let period: String?
            let areaCode: String
            let areaName: String
            let value: Double?
            let numerator: Double?
            let denominator: Double?
            let withheld: Bool
            let note: String?
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var features: [String] = []
        for area in try await Areas(db: req.db, author: req.author).geometries(layer) {
            let f = figures[area.code]
            let properties = Properties(
                measure: view.measure.code, period: period?.description, areaCode: area.code, areaName: area.name,
                value: f?.value,
                numerator: f?.numerator, denominator: f?.denominator, withheld: f?.withheld ?? false, note: f?.note)
            let encoded = String(decoding: try encoder.encode(properties), as: UTF8.self)
            features.append(#"{"type":"Feature","geometry":\#(area.geometry),"properties":\#(encoded)}"#)
        }
        let document = #"{"type":"FeatureCollection","features":["# + features.joined(separator: ",") + "]}\n"
        return StoredFiles.response(
            Data(document.utf8), type: HTTPMediaType(type: "application", subType: "geo+json"),
            fileName: "\(view.measure.code).geojson")
    }

    /// The chart alone, for embedding in another site: the same drawing the page carries, with its title and description.
    static func chart(_ view: MeasureView, _ req: Request) async throws -> Response {
        // No figure and no target in any period: there is no chart to give.
        guard let chart = MeasurePage.chart(view, req) else { throw WellplanError.notFound("chart") }
        let response = Response(status: .ok, body: .init(string: chart + "\n"))
        response.headers.contentType = HTTPMediaType(type: "image", subType: "svg+xml")
        return response
    }
}
