import Foundation

/// How far along a part of the plan is, with the figures and the formula that make it, so
/// nobody has to trust an average they cannot check.
public struct Progress: Sendable, Codable, Equatable {
    public let title: String
    /// The record this figure is about, for a link.
    public var kind: RecordKind?
    public var id: UUID?
    /// 0…1; nil when nothing under it can be measured yet.
    public let fraction: Double?
    public let weight: Double
    /// How the fraction is made, in the reader's language: "(1 × 40% + 2 × 70%) ÷ 3 = 60%".
    public let formula: String
    public let parts: [Progress]

    public init(title: String, fraction: Double?, weight: Double, formula: String, parts: [Progress] = []) {
        self.title = title
        self.fraction = fraction
        self.weight = weight
        self.formula = formula
        self.parts = parts
    }

    /// A project: each open or finished action item counts 0 or 1, each output with a target
    /// counts its value over target (at most 1), each with its weight.
    public static func project(
        title: String, weight: Double?, actionItems: [ActionItem], outputs: [(Output, Double?)], language: Language
    ) -> Progress {
        let catalogue = Catalogue.shared
        let itemParts = actionItems.filter { $0.status != .cancelled }.map { item in
            Progress(
                title: item.descriptionEn, fraction: item.status == .done ? 1 : 0, weight: 1,
                formula: catalogue.text(item.status == .done ? "progress_item_done" : "progress_item_open", language))
        }
        let outputParts = outputs.compactMap { output, value -> Progress? in
            guard let target = output.target, target > 0 else { return nil }
            let v = value ?? 0
            let fraction = min(1, max(0, v / target))
            return Progress(
                title: language == .fr ? output.statementFr ?? output.statementEn : output.statementEn,
                fraction: fraction, weight: output.weight ?? 1,
                formula: "\(number(v, language)) ÷ \(number(target, language)) = \(percent(fraction, language))")
        }
        return combine(title: title, weight: weight, parts: itemParts + outputParts, language: language)
    }

    /// A weighted mean of the parts that can be measured: Σ wᵢpᵢ ÷ Σ wᵢ.
    public static func combine(title: String, weight: Double?, parts: [Progress], language: Language) -> Progress {
        let measured = parts.filter { $0.fraction != nil }
        guard !measured.isEmpty else {
            return Progress(
                title: title, fraction: nil, weight: weight ?? 1,
                formula: Catalogue.shared.text("progress_nothing_measured", language), parts: parts)
        }
        let totalWeight = measured.map(\.weight).reduce(0, +)
        let fraction = measured.map { $0.weight * $0.fraction! }.reduce(0, +) / totalWeight
        let terms = measured.map { "\(number($0.weight, language)) × \(percent($0.fraction!, language))" }
        let formula =
            "(\(terms.joined(separator: " + "))) ÷ \(number(totalWeight, language)) = \(percent(fraction, language))"
        return Progress(title: title, fraction: fraction, weight: weight ?? 1, formula: formula, parts: parts)
    }

    public static func percent(_ fraction: Double, _ language: Language) -> String {
        let value = Int((fraction * 100).rounded())
        return language == .fr ? "\(value) %" : "\(value)%"
    }

    public static func number(_ value: Double, _ language: Language) -> String {
        if value == value.rounded() { return String(Int(value)) }
        let text = String(format: "%.2f", value).replacingOccurrences(of: "0+$", with: "", options: .regularExpression)
        return language == .fr ? text.replacingOccurrences(of: ".", with: ",") : text
    }
}
