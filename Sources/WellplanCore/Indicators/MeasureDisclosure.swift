import Foundation

/// A measure's figure as it may be shown. Where withheld, no number of it is kept at all (not its
/// numerator either), so no page, download or API answer built from it can leak one.
public struct ShownFigure: Sendable, Equatable, Codable {
    public let period: Period
    public let areaCode: String?
    public let breakdown: Breakdown
    public let value: Double?
    public let numerator: Double?
    public let denominator: Double?
    public let note: String?
    public let withheld: Bool

    init(_ o: Observation, value: Double?, withheld: Bool) {
        period = o.period
        areaCode = o.areaCode
        breakdown = o.breakdown
        note = o.note
        self.withheld = withheld
        (self.value, numerator, denominator) = withheld ? (nil, nil, nil) : (value, o.numerator, o.denominator)
    }
}

extension ShownFigure {
    /// Where the figure stands: its period, area and breakdown.
    public var key: String { Observation(period: period, areaCode: areaCode, breakdown: breakdown).key }

    /// The same figure, withheld: it was worked out from a figure withheld elsewhere.
    public var withheldToo: ShownFigure {
        ShownFigure(
            Observation(period: period, areaCode: areaCode, breakdown: breakdown, note: note), value: nil,
            withheld: true)
    }
}

extension DisclosurePolicy {
    /// The figures of a measure as an audience may see them. For a measure that counts people, a count
    /// above 0 and below the minimum is withheld (unrounded: a five-year average of 9.7 is under 10), and
    /// so is a percent or rate worked out from such a count; then every figure is protected together with
    /// all it adds up with: the areas and the whole area, each breakdown and the figure it breaks down,
    /// months, quarters and their year. Other measures are shown as they are.
    public func shown(_ observations: [Observation], of measure: Measure, for audience: Audience) -> [ShownFigure] {
        let values = observations.map { $0.resolved(unit: measure.unit) }
        guard measure.countsPeople else {
            return zip(observations, values).map { ShownFigure($0, value: $1, withheld: false) }
        }
        // The count of people behind each figure: the figure itself, or the numerator it was worked out from.
        let counts: [Double?] = zip(observations, values).map { o, v in measure.unit == .count ? v : o.numerator }
        var linked = LinkedFigures()
        let big = counts.compactMap { $0 }.reduce(0, +) + 1
        var figure: [Int: Int] = [:]  // observation → figure
        for (i, o) in observations.enumerated() {
            guard let count = counts[i] else { continue }
            // The figures readers look at first (the whole area, everyone, a year) cost most to withhold.
            let rank =
                (o.areaCode == nil ? 1.0 : 0) + (o.breakdown.isEveryone ? 1 : 0) + (o.period.frequency == .year ? 1 : 0)
            figure[i] = linked.add(count, cost: count + rank * big)
        }
        for (total, parts) in Self.sums(observations) {
            guard let t = figure[total] else { continue }
            linked.tie(total: t, parts: parts.compactMap { figure[$0] })
        }
        let hidden = linked.withheld(minimum: Double(minimum(for: audience)))
        return observations.indices.map { i in
            ShownFigure(observations[i], value: values[i], withheld: figure[i].map { hidden[$0] } ?? false)
        }
    }

    /// Which observations add up to which: each total with the indices of its parts.
    static func sums(_ observations: [Observation]) -> [(total: Int, parts: [Int])] {
        var index: [String: Int] = [:]
        for (i, o) in observations.enumerated() { index[o.key] = i }
        func key(_ period: Period, _ area: String?, _ breakdown: Breakdown) -> String {
            Observation(period: period, areaCode: area, breakdown: breakdown).key
        }
        var parts: [String: [Int]] = [:]  // "total key ~ what is split" → parts
        for (i, o) in observations.enumerated() {
            // The areas of the measure's layer add up to the whole area.
            if o.areaCode != nil { parts[key(o.period, nil, o.breakdown) + "~area", default: []].append(i) }
            // A breakdown adds up, over one of its dimensions, to the breakdown without it.
            for pair in o.breakdown.pairs {
                var rest = Dictionary(uniqueKeysWithValues: o.breakdown.pairs.map { ($0.dimension, $0.value) })
                rest[pair.dimension] = nil
                parts[key(o.period, o.areaCode, Breakdown(rest)) + "~" + pair.dimension, default: []].append(i)
            }
            // Months add up to their quarter and year, quarters to their year.
            let year = Period.year(o.period.start.year)
            switch o.period.frequency {
            case .month:
                let quarter = Period.quarter(o.period.start.year, (o.period.start.month - 1) / 3 + 1)
                parts[key(quarter, o.areaCode, o.breakdown) + "~month", default: []].append(i)
                parts[key(year, o.areaCode, o.breakdown) + "~month", default: []].append(i)
            case .quarter:
                parts[key(year, o.areaCode, o.breakdown) + "~quarter", default: []].append(i)
            case .year, .custom: break
            }
        }
        return parts.sorted { $0.key < $1.key }.compactMap { entry in
            let totalKey = String(entry.key[..<entry.key.lastIndex(of: "~")!])
            return index[totalKey].map { ($0, entry.value) }
        }
    }
}
