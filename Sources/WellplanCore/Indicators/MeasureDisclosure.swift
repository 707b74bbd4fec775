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
        (period, areaCode, breakdown, note, self.withheld) = (o.period, o.areaCode, o.breakdown, o.note, withheld)
        (self.value, numerator, denominator) = withheld ? (nil, nil, nil) : (value, o.numerator, o.denominator)
    }
}

extension DisclosurePolicy {
    /// The figures of a measure as an audience may see them. For a measure that counts people, a count
    /// from 1 to one less than the minimum is withheld, and so is a percent or rate worked out from such
    /// a count; within one period and area, the cells of each breakdown dimension and the total for
    /// everyone are protected together, so no withheld cell can be worked out from the others.
    /// Other measures are shown as they are.
    public func shown(_ observations: [Observation], of measure: Measure, for audience: Audience) -> [ShownFigure] {
        let values = observations.map { $0.resolved(unit: measure.unit) }
        guard measure.countsPeople else {
            return zip(observations, values).map { ShownFigure($0, value: $1, withheld: false) }
        }
        let minimum = minimum(for: audience)
        // The count of people behind each figure: the figure itself, or the numerator it was worked out from.
        let counts: [Int?] = zip(observations, values).map { o, v in
            (measure.unit == "count" ? v : o.numerator).map { Int($0.rounded()) }
        }
        var withheld = counts.map { c in c.map { $0 > 0 && $0 < minimum } ?? false }
        // Complementary suppression, per period and area, for each single-dimension breakdown with the total.
        let groups = Dictionary(grouping: observations.indices) { "\(observations[$0].period)|\(observations[$0].areaCode ?? "")" }
        for indices in groups.values {
            let total = indices.first { observations[$0].breakdown.isEveryone && counts[$0] != nil }
            let byDimension = Dictionary(grouping: indices.filter { observations[$0].breakdown.pairs.count == 1 && counts[$0] != nil }) {
                observations[$0].breakdown.pairs[0].dimension
            }
            for cells in byDimension.values where cells.count > 1 {
                let table = CountTable(list: cells.map { ("\($0)", counts[$0]!) }, hasTotals: total != nil)
                let published = publish(table, for: audience)
                for (row, index) in cells.enumerated() where published.cells[row][0] == nil { withheld[index] = true }
                if let total, published.grandTotal == nil { withheld[total] = true }
            }
        }
        return observations.indices.map { i in
            ShownFigure(observations[i], value: values[i], withheld: withheld[i])
        }
    }
}
