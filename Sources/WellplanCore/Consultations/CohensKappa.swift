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
            observed = 0
            expected = 0
            kappa = nil
            return
        }
        let n = Double(units)
        observed = Double(pairs.filter { $0.0 == $0.1 }.count) / n
        var first: [Label: Int] = [:], second: [Label: Int] = [:]
        for (a, b) in pairs {
            first[a, default: 0] += 1
            second[b, default: 0] += 1
        }
        expected = first.reduce(0.0) { sum, entry in
            sum + Double(entry.value) / n * Double(second[entry.key, default: 0]) / n
        }
        kappa = expected >= 1 ? nil : (observed - expected) / (1 - expected)
    }

    /// For yes/no labels, how lopsided they are: |both yes − both no| ÷ units, from 0 (as many of each)
    /// to 1 (all one). Near 1, chance agreement is high and kappa low however well coders agree.
    public private(set) var prevalence: Double?

    /// Kappa with prevalence and bias adjusted away (Byrt, Bishop and Carlin 1993): 2pₒ − 1.
    public var pabak: Double? { units > 0 ? 2 * observed - 1 : nil }

    /// Whether kappa is low because the code is rare, not because coders disagree: high agreement and a
    /// lopsided prevalence.
    public var isRareCodeParadox: Bool {
        guard let prevalence, let kappa else { return false }
        return observed >= 0.9 && prevalence >= 0.8 && kappa < 0.6
    }

    /// For one code: whether each coder applied it to each of the units both coded.
    public init(applied: [(Bool, Bool)]) {
        self.init(applied)
        guard units > 0 else { return }
        let both = applied.filter { $0.0 && $0.1 }.count, neither = applied.filter { !$0.0 && !$0.1 }.count
        prevalence = Double(abs(both - neither)) / Double(units)
    }
}
