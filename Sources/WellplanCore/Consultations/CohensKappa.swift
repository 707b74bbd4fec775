import Foundation

/// Agreement between two coders beyond what chance would give: κ = (pₒ − pₑ) / (1 − pₑ), where pₒ is
/// the share of units they labelled alike and pₑ the share expected from each coder's own label frequencies.
public struct CohensKappa: Sendable, Equatable {
    public let units: Int
    public let observed: Double
    public let expected: Double
    /// nil when chance alone predicts full agreement (both coders gave every unit one same label).
    public let kappa: Double?

    /// - Parameter pairs: each unit's label from the first and from the second coder.
    public init<Label: Hashable>(_ pairs: [(Label, Label)]) {
        units = pairs.count
        guard units > 0 else {
            (observed, expected, kappa) = (0, 0, nil)
            return
        }
        let n = Double(units)
        observed = Double(pairs.filter { $0.0 == $0.1 }.count) / n
        var first: [Label: Int] = [:], second: [Label: Int] = [:]
        for (a, b) in pairs {
            first[a, default: 0] += 1
            second[b, default: 0] += 1
        }
        expected = first.reduce(0.0) { sum, entry in sum + Double(entry.value) / n * Double(second[entry.key, default: 0]) / n }
        kappa = expected >= 1 ? nil : (observed - expected) / (1 - expected)
    }

    /// For one code: whether each coder applied it to each of the units both coded.
    public init(applied: [(Bool, Bool)]) { self.init(applied) }
}
