import Foundation

/// What the coordinator makes of a built report: which findings it keeps and in what order, a note under
/// any finding, narrative at the head of any section, each in both languages. Kept apart from the data, by
/// the findings' and sections' stable keys, so reading the data again keeps the story that was told.
public struct ReportEdits: Sendable, Codable, Equatable {
    public struct Text: Sendable, Codable, Equatable {
        public var en: String?
        public var fr: String?
        public init(en: String? = nil, fr: String? = nil) { (self.en, self.fr) = (en?.nilIfBlank, fr?.nilIfBlank) }
        public func text(_ language: Language) -> String? { language == .fr ? (fr ?? en) : en }
        var isEmpty: Bool { en == nil && fr == nil }
    }

    /// Narrative by section key.
    public var narrative: [String: Text]
    /// Notes by finding key.
    public var annotations: [String: Text]
    /// Finding and section keys left out of the report.
    public var hidden: Set<String>
    /// Finding keys in the order the coordinator gave; findings not named keep their place after them.
    public var order: [String]

    public init(
        narrative: [String: Text] = [:], annotations: [String: Text] = [:], hidden: Set<String> = [],
        order: [String] = []
    ) {
        self.narrative = narrative
        self.annotations = annotations
        self.hidden = hidden
        self.order = order
    }

    public static let textLimit = 10_000

    public func problems() -> [FieldProblem] {
        (narrative.map { ("narrative-\($0.key)", $0.value) } + annotations.map { ("annotation-\($0.key)", $0.value) })
            .filter { ($0.1.en?.count ?? 0) > Self.textLimit || ($0.1.fr?.count ?? 0) > Self.textLimit }
            .map { FieldProblem($0.0, "error_too_long", [String(Self.textLimit)]) }
            .sorted { $0.field < $1.field }
    }

    /// The report as the coordinator shaped it.
    public func applied(to report: Report) -> Report {
        var report = report
        report.sections = report.sections.filter { !hidden.contains($0.key) }.map { apply($0, report.language) }
        return report
    }

    private func apply(_ section: Report.Section, _ language: Language) -> Report.Section {
        var section = section
        if let text = narrative[section.key]?.text(language) { section.narrative = text }
        section.blocks = section.blocks.map { block in
            guard case .findings(let findings) = block else { return block }
            return .findings(arrange(findings, language))
        }
        section.subsections = section.subsections.filter { !hidden.contains($0.key) }.map { apply($0, language) }
        return section
    }

    private func arrange(_ findings: [Report.Finding], _ language: Language) -> [Report.Finding] {
        let kept = findings.filter { !hidden.contains($0.key) }.map { finding -> Report.Finding in
            var f = finding
            if let note = annotations[f.key]?.text(language) { f.annotation = note }
            f.details = arrange(f.details, language)
            return f
        }
        let rank = Dictionary(order.enumerated().map { ($1, $0) }) { a, _ in a }
        return kept.enumerated().sorted { a, b in
            (rank[a.element.key] ?? Int.max, a.offset) < (rank[b.element.key] ?? Int.max, b.offset)
        }.map(\.element)
    }
}

extension String {
    var nilIfBlank: String? { trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : self }
}
