import Foundation

/// How a report says things in one language: sentences from the catalogue with figures set in them,
/// numbers, percentages, dates and lists. Every report kind writes through it, so they read alike.
public struct ReportWriting: Sendable {
    public let language: Language
    public let policy: DisclosurePolicy
    public let audience: Audience

    public init(
        _ language: Language, policy: DisclosurePolicy = DisclosurePolicy(), audience: Audience = .publicRelease
    ) {
        self.language = language
        self.policy = policy
        self.audience = audience
    }

    public func text(_ key: String, _ values: String...) -> String { text(key, values) }

    public func text(_ key: String, _ values: [String]) -> String { Catalogue.shared.text(key, language, values) }

    /// A catalogue sentence with `{0}`, `{1}` … replaced by spans, so figures stay figures.
    public func sentence(_ key: String, _ values: [Report.Span]) -> [Report.Span] {
        var spans: [Report.Span] = []
        var rest = Substring(Catalogue.shared.text(key, language))
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}"),
            let i = Int(rest[rest.index(after: open)..<close]), values.indices.contains(i)
        {
            if open > rest.startIndex { spans.append(.text(String(rest[..<open]))) }
            spans.append(values[i])
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { spans.append(.text(String(rest))) }
        return spans
    }

    public func number(_ value: Double) -> String {
        let whole = Progress.number(value.rounded() == value ? value : (value * 100).rounded() / 100, language)
        guard value.rounded() == value, abs(value) >= 10_000 else { return whole }
        // Thousands grouped as each language writes them: 12,345 and 12 345.
        let digits = String(Int(abs(value)))
        var grouped = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { grouped += language == .fr ? "\u{202F}" : "," }
            grouped.append(c)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// A count that needs no protection (events held, materials handed out).
    public func count(_ key: String, _ value: Int, link: Report.Link? = nil) -> Report.Figure {
        Report.Figure(key: key, value: Double(value), text: number(Double(value)), link: link)
    }

    /// A count of people in a sensitive group: withheld below the audience's minimum.
    public func protected(_ key: String, _ value: Int?, link: Report.Link? = nil) -> Report.Figure {
        guard let value, let shown = policy.figure(value, n: value, for: audience) else { return withheld(key) }
        return count(key, shown, link: link)
    }

    public func percent(_ key: String, _ value: Double?, link: Report.Link? = nil) -> Report.Figure {
        guard let value else { return withheld(key) }
        let whole = (value * 100).rounded()
        return Report.Figure(key: key, value: whole / 100, text: Progress.percent(value, language), link: link)
    }

    public func withheld(_ key: String) -> Report.Figure {
        Report.Figure(key: key, value: nil, text: text("report_withheld"))
    }

    /// No figure yet (nothing measured), which is not the same as withheld.
    public func missing(_ key: String) -> Report.Figure { Report.Figure(key: key, value: nil, text: "—") }

    /// "October 9, 2025" or "9 octobre 2025".
    public func day(_ day: Day) -> String {
        let month = text("month_\(day.month)")
        return language == .fr
            ? "\(day.day == 1 ? "1er" : String(day.day)) \(month) \(day.year)" : "\(month) \(day.day), \(day.year)"
    }

    /// "December 16, 2025 14:05 UTC": when a report's data were read.
    public func instant(_ time: Timestamp) -> String {
        let clock = String(time.description.dropFirst(11).prefix(5))
        return day(time.day) + " " + clock + " UTC"
    }

    public func period(_ from: Day, _ to: Day) -> String { text("report_period", day(from), day(to)) }

    /// "a, b and c" or "a, b et c".
    public func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " " + text("report_and") + " " + items.last!
    }

    private static let properNouns: Set = ["first_nations", "metis", "inuit"]

    /// A code's label as it reads inside a sentence: "first responders", but "First Nations" kept.
    public func inSentence(_ list: CodeList, _ code: String) -> String {
        let label = list.label(code, language)
        let proper =
            Self.properNouns.contains(code)
            || label.split(separator: " ").dropFirst().contains { $0.first?.isUppercase == true }
        return proper ? label : label.prefix(1).lowercased() + label.dropFirst()
    }

    /// Content in the reader's language, English when no French was written.
    public func choose(_ en: String, _ fr: String?) -> String {
        language == .fr ? (fr?.isEmpty == false ? fr! : en) : en
    }
    public func choose(_ en: String?, _ fr: String?) -> String? { en.map { choose($0, fr) } ?? fr }
}
