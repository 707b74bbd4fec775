import Fluent
import Vapor
import WellplanCore

/// A measure's figures as one audience may see them, its targets, and its scorecard line: what every
/// page, download and API answer about a measure is built from, so the disclosure policy is applied once.
struct MeasureView: Encodable, Sendable {
    let measure: Measure
    let figures: [ShownFigure]
    let targets: [MeasureTarget]
    let scorecard: ScorecardLine
    let withheld: Int
    let minimum: Int?

    static func load(_ measure: Measure, _ req: Request, audience: Audience) async throws -> MeasureView {
        try await load([measure], req, audience: audience)[0]
    }

    /// Several measures' views with one query for their figures and one for their targets; for a scorecard
    /// or dashboard (`wholeAreaOnly`), without the figures by area. A measure that counts people is still
    /// protected with its areas, so the dashboard shows nothing its measure page withholds.
    static func load(_ measures: [Measure], _ req: Request, audience: Audience, wholeAreaOnly: Bool = false)
        async throws -> [MeasureView]
    {
        try await load(
            measures, db: req.db, policy: req.application.settings.disclosure, audience: audience,
            wholeAreaOnly: wholeAreaOnly)
    }

    /// The same without a request: for a report's job.
    static func load(
        _ measures: [Measure], db: any Database, policy: DisclosurePolicy, audience: Audience,
        wholeAreaOnly: Bool = false
    ) async throws
        -> [MeasureView]
    {
        let observations = Observations(db: db, author: .commandLine)
        // A count of people is protected with all its figures; what was worked out for this version of them is kept.
        let versions = try await observations.versions(
            measures.filter { $0.countsPeople && !$0.isCalculated }.map(\.id))
        var shown: [UUID: [ShownFigure]] = [:]
        for measure in measures {
            guard let version = versions[measure.id] else { continue }
            shown[measure.id] = ShownFigureCache.cached(measure, version: version, policy: policy, for: audience)
        }
        let counted = measures.filter { $0.countsPeople && shown[$0.id] == nil },
            plain = measures.filter { !$0.countsPeople }
        let series = try await observations.series(plain, wholeAreaOnly: wholeAreaOnly)
            .merging(try await observations.series(counted)) { first, _ in first }
        let listed =
            measures.isEmpty
            ? [] : try await Records(db: db.sql).list(MeasureTarget.self, among: ("measureId", measures.map(\.id)))
        let targets = Dictionary(grouping: listed, by: \.measureId)
        var views: [MeasureView] = []
        for measure in measures {
            let figures: [ShownFigure]
            if let kept = shown[measure.id] {
                figures = kept
            } else {
                figures = try await ShownFigureCache.shown(
                    series[measure.id] ?? [], of: measure, policy: policy, for: audience, version: versions[measure.id])
            }
            var whole = make(measure, figures, targets[measure.id] ?? [], policy: policy, audience: audience)
            if measure.isCalculated {
                whole = try await whole.withholding(fromInputs: db, policy: policy, audience: audience)
            }
            views.append(wholeAreaOnly ? whole.wholeArea : whole)
        }
        return views
    }

    /// A figure worked out from a figure an input withholds is withheld too: a rate beside the count it
    /// divides, a sum beside its parts, would otherwise give the withheld figure back.
    func withholding(fromInputs db: any Database, policy: DisclosurePolicy, audience: Audience) async throws
        -> MeasureView
    {
        let store = Records(db: db.sql)
        var inputs: [Measure] = []
        for id in measure.inputs { if let input = try await store.find(Measure.self, id) { inputs.append(input) } }
        let withheldInInputs = Set(
            try await MeasureView.load(inputs, db: db, policy: policy, audience: audience).flatMap {
                $0.figures.filter(\.withheld).map(\.key)
            })
        guard !withheldInInputs.isEmpty else { return self }
        let kept = figures.map { withheldInInputs.contains($0.key) && !$0.withheld ? $0.withheldToo : $0 }
        return MeasureView.make(measure, kept, targets, policy: policy, audience: audience)
    }

    /// The view without the figures by area.
    var wholeArea: MeasureView {
        let kept = figures.filter { $0.areaCode == nil }
        return MeasureView(
            measure: measure, figures: kept, targets: targets, scorecard: scorecard,
            withheld: kept.filter(\.withheld).count, minimum: minimum)
    }

    /// The view of figures as shown: the scorecard line is the whole area's.
    static func make(
        _ measure: Measure, _ figures: [ShownFigure], _ targets: [MeasureTarget], policy: DisclosurePolicy,
        audience: Audience
    )
        -> MeasureView
    {
        func byPeriod(_ value: (MeasureTarget) -> Double?) -> [Period: Double] {
            Dictionary(targets.compactMap { t in Period(t.period).flatMap { p in value(t).map { (p, $0) } } }) {
                first, _ in first
            }
        }
        let overall = figures.filter { $0.areaCode == nil && $0.breakdown.isEveryone }.compactMap { f in
            f.value.map { (f.period, $0) }
        }
        return MeasureView(
            measure: measure, figures: figures, targets: targets,
            scorecard: ScorecardLine(
                actuals: overall, targets: byPeriod(\.target), forecasts: byPeriod(\.forecast),
                polarity: measure.polarity),
            withheld: figures.filter(\.withheld).count,
            minimum: measure.countsPeople ? policy.minimum(for: audience) : nil)
    }

    /// The figures as CSV, exactly as shown: a withheld figure is an empty cell marked in the `withheld` column.
    var csv: String {
        let head = ["measure", "period", "area", "breakdown", "value", "numerator", "denominator", "withheld", "note"]
        func number(_ x: Double?) -> String {
            x.map { $0 == $0.rounded() && abs($0) < 1e15 ? String(Int($0)) : String($0) } ?? ""
        }
        let rows = figures.map { f in
            [
                measure.code, f.period.description, f.areaCode ?? "", f.breakdown.description, number(f.value),
                number(f.numerator), number(f.denominator),
                f.withheld ? "yes" : "", f.note ?? "",
            ]
        }
        return CSVWriter.document([head] + rows)
    }
}

extension Request {
    /// Partners see what partners may; the public what the public may.
    func audience() async throws -> Audience { try await actor().isSignedIn ? .partners : .publicRelease }
}
