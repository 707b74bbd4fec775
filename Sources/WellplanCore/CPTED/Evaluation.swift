import Foundation

/// How a pre/post evaluation of a CPTED change is set up: the response area (within `siteRadius` metres
/// of the site, or the site's area), a displacement buffer ring around it, a control area, and equal
/// before and after windows around the implementation date. By default the before window is the same
/// months a year earlier, so the seasons match.
public struct EvaluationDesign: Sendable, Equatable, Codable {
    public var implementedOn: Day
    public var months: Int
    public var siteRadius: Double
    public var bufferWidth: Double
    public var seasonallyMatched: Bool
    public var categories: [String]

    public init(
        implementedOn: Day, months: Int = 12, siteRadius: Double = 100, bufferWidth: Double = 200,
        seasonallyMatched: Bool = true, categories: [String] = []
    ) {
        self.implementedOn = implementedOn
        self.months = months
        self.siteRadius = siteRadius
        self.bufferWidth = bufferWidth
        self.seasonallyMatched = seasonallyMatched
        self.categories = categories
    }

    /// The choices a page's query or a report's parameters may make, by name.
    public static let parameterNames = ["months", "siteRadius", "bufferWidth", "seasonal", "categories"]

    /// A design from its choices written as text, each one that is given: every one that is not a number is named.
    public init(implementedOn: Day, parameters p: [String: String]) throws(WellplanError) {
        var problems: [FieldProblem] = []
        func number(_ name: String, _ fallback: Double) -> Double {
            guard let text = p[name], !text.isEmpty else { return fallback }
            guard let n = Double(text), n.isFinite else {
                problems.append(FieldProblem(name, "error_not_number"))
                return fallback
            }
            return n
        }
        var months = 12
        if let text = p["months"], !text.isEmpty {
            if let n = Int(text) { months = n } else { problems.append(FieldProblem("months", "error_not_integer")) }
        }
        self.init(
            implementedOn: implementedOn, months: months, siteRadius: number("siteRadius", 100),
            bufferWidth: number("bufferWidth", 200),
            seasonallyMatched: p["seasonal"] != "false",
            categories: (p["categories"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty })
        if !problems.isEmpty { throw .invalid(problems) }
    }

    public func problems() -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if !(1...60).contains(months) { problems.append(FieldProblem("months", "error_out_of_range", ["1", "60"])) }
        if !(10...5_000).contains(siteRadius) {
            problems.append(FieldProblem("siteRadius", "error_out_of_range", ["10", "5000"]))
        }
        if !(0...5_000).contains(bufferWidth) {
            problems.append(FieldProblem("bufferWidth", "error_out_of_range", ["0", "5000"]))
        }
        return problems
    }

    /// The after window starts on the implementation day; each window is `months` long, end excluded.
    public var after: Range<Day> { implementedOn..<implementedOn.adding(months: months) }

    /// The same months a year (or whole years) earlier when seasonally matched, else the months just before.
    public var before: Range<Day> {
        if seasonallyMatched {
            let years = max(1, Int((Double(months) / 12).rounded(.up)))
            return implementedOn.adding(years: -years)..<implementedOn.adding(years: -years).adding(months: months)
        }
        return implementedOn.adding(months: -months)..<implementedOn
    }

    /// Which zone of the design a place is in, by its distance from the site.
    public enum Zone: Sendable, Equatable { case response, buffer, outside }

    public func zone(distance: Double) -> Zone {
        if distance <= siteRadius {
            .response
        } else if distance <= siteRadius + bufferWidth {
            .buffer
        } else {
            .outside
        }
    }

    /// The control must lie beyond the buffer, or the buffer's changes would count twice. A point site's
    /// buffer reaches `siteRadius + bufferWidth` from it; an area site's, `bufferWidth` from its edge.
    public func controlProblem(distanceFromSite: Double, siteIsArea: Bool) -> FieldProblem? {
        let reach = siteIsArea ? bufferWidth : siteRadius + bufferWidth
        return distanceFromSite <= reach
            ? FieldProblem("controlAreaCode", "error_control_overlaps_buffer", [String(Int(reach))]) : nil
    }
}

/// The result of an evaluation in words, in the reader's language: what the numbers say, and how sure.
public enum EvaluationVerdict {
    public static func words(_ w: WeightedDisplacementQuotient, _ language: Language) -> [String] {
        func t(_ key: String, _ values: [String] = []) -> String { Catalogue.shared.text(key, language, values) }
        guard let reading = w.reading else { return [] }
        if reading == .insufficientData {
            return [t("verdict_insufficient_data", [String(WeightedDisplacementQuotient.minimumCount)])]
        }
        var lines = [t("verdict_\(reading.rawValue)")]
        if let d = w.difference, let interval = w.interval {
            let format = { (x: Double) in String(format: "%.1f", x) }
            lines.append(
                t(
                    w.isSignificant == true ? "verdict_wdd_significant" : "verdict_wdd_not_significant",
                    [format(d), format(interval.lowerBound), format(interval.upperBound)]))
        }
        return lines
    }
}
