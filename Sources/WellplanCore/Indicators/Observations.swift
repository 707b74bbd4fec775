import Foundation

/// Which part of the population a figure is about: dimension codes with their values ("age_group=12-17;
/// gender=female"), sorted by dimension so the same breakdown always reads the same. Empty: everyone.
public struct Breakdown: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    public let pairs: [Pair]

    public struct Pair: Hashable, Sendable, Codable {
        public let dimension: String
        public let value: String
    }

    public static let everyone = Breakdown([:])

    public init(_ values: [String: String]) {
        pairs = values.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }.map {
            Pair(dimension: $0.key, value: $0.value)
        }
    }

    public init?(_ text: String) {
        var values: [String: String] = [:]
        for part in text.split(separator: ";") {
            let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2, !kv[0].isEmpty, values[kv[0]] == nil else { return nil }
            values[kv[0]] = kv[1]
        }
        self.init(values)
    }

    public var isEveryone: Bool { pairs.isEmpty }
    public var description: String { pairs.map { "\($0.dimension)=\($0.value)" }.joined(separator: ";") }
    public static func < (a: Breakdown, b: Breakdown) -> Bool {
        (a.pairs.count, a.description) < (b.pairs.count, b.description)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let breakdown = Breakdown(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "expected dimension=value;…, got \"\(text)\""))
        }
        self = breakdown
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// One figure of a measure: for a period, in an area (nil: the whole area the plan covers), for a
/// breakdown. Either the value itself, or a numerator and denominator it is worked out from; a missing
/// value ("NA", "..", blank) is kept as missing, never as zero.
public struct Observation: Sendable, Hashable, Codable {
    public var period: Period
    public var areaCode: String?
    public var breakdown: Breakdown
    public var value: Double?
    public var numerator: Double?
    public var denominator: Double?
    public var note: String?

    public init(
        period: Period, areaCode: String? = nil, breakdown: Breakdown = .everyone, value: Double? = nil,
        numerator: Double? = nil,
        denominator: Double? = nil, note: String? = nil
    ) {
        self.period = period
        self.areaCode = areaCode
        self.breakdown = breakdown
        self.value = value
        self.numerator = numerator
        self.denominator = denominator
        self.note = note
    }

    /// What a re-import updates by: the same period, area and breakdown.
    public var key: String { "\(period)|\(areaCode ?? "")|\(breakdown)" }

    /// The value, worked out from the numerator and denominator where it was not given: a percent is
    /// out of 100, a rate out of 100,000.
    public func resolved(unit: MeasureUnit) -> Double? {
        if let value { return value }
        guard let numerator, let denominator, denominator != 0 else { return nil }
        let scale: Double =
            switch unit {
            case .percent: 100
            case .ratePer100000: 100_000
            default: 1
            }
        return numerator / denominator * scale
    }
}

extension Observation {
    /// One figure as a person types it in or another system sends it: a period, and the value or the
    /// numerator and denominator it is worked out from; what is wrong, named by field.
    public static func entered(
        period: String, areaCode: String? = nil, breakdown: String? = nil, value: Double?, numerator: Double? = nil,
        denominator: Double? = nil,
        note: String? = nil
    ) throws(WellplanError) -> Observation {
        var problems: [FieldProblem] = []
        let when = Period(period)
        if when == nil { problems.append(FieldProblem("period", "error_not_period")) }
        let parts = Breakdown(breakdown ?? "")
        if parts == nil { problems.append(FieldProblem("breakdown", "error_not_breakdown")) }
        if value == nil, numerator == nil || denominator == nil {
            problems.append(FieldProblem("value", "error_required"))
        }
        if denominator == 0 { problems.append(FieldProblem("denominator", "error_must_be_positive")) }
        guard problems.isEmpty, let when, let parts else { throw .invalid(problems) }
        func text(_ s: String?, _ limit: Int) -> String? {
            s.map { String($0.trimmingCharacters(in: .whitespaces).prefix(limit)) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        return Observation(
            period: when, areaCode: text(areaCode, 60), breakdown: parts, value: value, numerator: numerator,
            denominator: denominator, note: text(note, 500))
    }
}

/// A figure as spreadsheets and statistics agencies write it.
public enum FigureText {
    /// What stands for "no figure": blank, NA, N/A, "..", "...", Statistics Canada's "x" (suppressed) and
    /// "F" (too unreliable), a dash.
    public static let missing: Set<String> = ["", "NA", "N/A", "NAN", "..", "...", "X", "F", "-", "—"]

    public enum Reading: Equatable {
        case number(Double)
        case missing
        case invalid
    }

    /// "1,234" and "$1,234" are 1234, "5.6%" is 5.6, "1 234,5" (French) is 1234.5.
    public static func read(_ text: String) -> Reading {
        // Most figures are plain numbers ("12.5"): read them without the patterns below, which cost far more.
        if !text.isEmpty, text.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == 46 || $0 == 45 }),
            let n = Double(text), n.isFinite
        {
            return .number(n)
        }
        var t = text.trimmingCharacters(in: .whitespaces)
        if missing.contains(t.uppercased()) { return .missing }
        t = t.replacingOccurrences(of: "\u{00A0}", with: " ").replacingOccurrences(of: "\u{202F}", with: " ")
        if t.hasPrefix("$") { t.removeFirst() }
        if t.hasSuffix("$") || t.hasSuffix("%") { t = String(t.dropLast()).trimmingCharacters(in: .whitespaces) }
        if t.wholeMatch(of: /-?\d{1,3}(,\d{3})+(\.\d+)?/) != nil {
            t = t.replacingOccurrences(of: ",", with: "")
        } else if t.wholeMatch(of: /-?\d{1,3}( \d{3})+(,\d+)?/) != nil || t.wholeMatch(of: /-?\d+,\d+/) != nil {
            t = t.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: ",", with: ".")
        }
        guard t.wholeMatch(of: /-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/) != nil, let n = Double(t), n.isFinite else {
            return .invalid
        }
        return .number(n)
    }
}

/// One observation of the measure an import names by its code.
public struct MeasureFigure: Sendable, Equatable {
    public let measureCode: String
    public let observation: Observation

    public init(_ measureCode: String, _ observation: Observation) {
        self.measureCode = measureCode
        self.observation = observation
    }
}
