import Foundation

/// A consultation's results as seed 000 reports them: who was heard and how, then the themes of each
/// section most raised first, then the priority areas with the actions they lead to ("You said, we did").
public struct ConsultationReport: Sendable {
    public var consultationId: UUID
    public var summary: ConsultationSummary
    public var from: Day?
    public var to: Day?
    public var asOf: Timestamp

    public init(consultationId: UUID, summary: ConsultationSummary, from: Day?, to: Day?, asOf: Timestamp) {
        self.consultationId = consultationId
        self.summary = summary
        self.from = from
        self.to = to
        self.asOf = asOf
    }

    static let sectionOrder = ["strengths", "issues", "needs", "coordination", "priorities", "other"]

    public func report(_ w: ReportWriting) -> Report {
        let s = summary
        var sections: [Report.Section] = []
        var methods: [Report.Block] = []
        if let purpose = s.purpose { methods.append(.paragraph(purpose)) }
        methods.append(
            .findings([
                Report.Finding(
                    key: "participants",
                    w.sentence("report_cr_participants", [.figure(w.count("participants", s.participants))]))
            ]))
        methods.append(
            .table(
                Report.Table(
                    key: "methods", caption: w.text("report_cr_methods"),
                    columns: [
                        w.text("field_method"), w.text("field_sessions"), w.text("field_participants"),
                        w.text("field_audienceGroups"),
                    ],
                    rows: s.methods.map { m in
                        [
                            Report.Cell(
                                CodeList.consultationMethods.label(m.method, w.language)
                                    + (m.notes.map { " — \($0)" } ?? "")),
                            Report.Cell(m.sessions.map { w.count("sessions", $0) } ?? w.missing("sessions")),
                            Report.Cell(
                                m.participants.map { w.count("participants", $0) } ?? w.missing("participants")),
                            Report.Cell(
                                m.audienceGroups.map { CodeList.audienceGroups.label($0, w.language) }.joined(
                                    separator: "; ")),
                        ]
                    })))
        sections.append(Report.Section(key: "methods", title: w.text("report_cr_who"), blocks: methods))
        for key in Self.sectionOrder + s.sections.keys.filter({ !Self.sectionOrder.contains($0) }).sorted() {
            guard let themes = s.sections[key], !themes.isEmpty else { continue }
            let findings = themes.map { theme in
                let count = theme.responses.map { w.count("responses", $0) } ?? w.withheld("responses")
                let details =
                    theme.codes.map { Report.Finding(key: "theme-\(theme.themeId)/\($0)", [.text($0)]) }
                    + theme.quotes.map {
                        Report.Finding(key: "quote-\(theme.themeId)/\($0.prefix(40))", [.text("“\($0)”")])
                    }
                    + (theme.weDid.map {
                        [Report.Finding(key: "did-\(theme.themeId)", w.sentence("report_cr_we_did", [.text($0)]))]
                    } ?? [])
                return Report.Finding(
                    key: "theme-\(theme.themeId)",
                    theme.responses == 0
                        ? [.text(theme.name)] : w.sentence("report_cr_theme", [.text(theme.name), .figure(count)]),
                    link: .record(.theme, theme.themeId), details: details)
            }
            sections.append(
                Report.Section(
                    key: "section-\(key)", title: CodeList.consultationTopics.label(key, w.language),
                    blocks: [.findings(findings)]))
        }
        if !s.priorities.isEmpty {
            let findings = s.priorities.map { p in
                Report.Finding(
                    key: "priority-\(p.priorityId)", [.text(p.title)], link: .record(.priority, p.priorityId),
                    details: p.themes.map {
                        Report.Finding(
                            key: "priority-\(p.priorityId)/theme/\($0)", w.sentence("report_cr_you_said", [.text($0)]))
                    }
                        + p.actions.map {
                            Report.Finding(
                                key: "priority-\(p.priorityId)/action/\($0.prefix(40))",
                                w.sentence("report_cr_we_did", [.text($0)]))
                        }
                )
            }
            sections.append(
                Report.Section(
                    key: "you-said-we-did", title: w.text("report_cr_you_said_we_did"), blocks: [.findings(findings)]))
        }
        if s.withheld {
            sections.append(
                Report.Section(key: "note", title: w.text("report_note"), blocks: [.note(w.text("report_cr_withheld"))])
            )
        }
        return Report(
            kind: .consultationResults, language: w.language, title: s.title,
            subtitle: from.flatMap { f in to.map { w.text("report_cr_subtitle", w.period(f, $0)) } }, from: from,
            to: to, asOf: asOf, sections: sections,
            sources: [
                Report.Source(s.title, link: Report.Link(SiteURL.publicConsultation(consultationId)))
            ])
    }
}
