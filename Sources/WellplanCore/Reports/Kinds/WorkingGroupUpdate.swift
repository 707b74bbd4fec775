import Foundation

/// The update a working group hears at its meeting (seed 000): for each project it leads, its purpose and
/// key activities, what was accomplished since the group's last update (events attended, what they handed
/// out, what participants said, workshops facilitated, what is scheduled), the steps completed and the next
/// steps, the results in figures, and the action items for members. Every figure is counted from records.
public struct WorkingGroupUpdate: Sendable {
    public struct EventWork: Sendable {
        public var event: Event
        public var materials: [EventMaterial]
        public var submissions: [FeedbackSubmission]
        public init(event: Event, materials: [EventMaterial] = [], submissions: [FeedbackSubmission] = []) {
            self.event = event
            self.materials = materials
            self.submissions = submissions
        }
    }

    public struct ProjectWork: Sendable {
        public var project: Project
        public var activities: [Activity]
        public var events: [EventWork]
        public var outputs: [(output: Output, value: Double?)]
        public var actionItems: [ActionItem]
        public var safetyPlans: [NeighbourhoodSafetyPlan]
        public init(
            project: Project, activities: [Activity] = [], events: [EventWork] = [],
            outputs: [(output: Output, value: Double?)] = [],
            actionItems: [ActionItem] = [], safetyPlans: [NeighbourhoodSafetyPlan] = []
        ) {
            self.project = project
            self.activities = activities
            self.events = events
            self.outputs = outputs
            self.actionItems = actionItems
            self.safetyPlans = safetyPlans
        }
    }

    public var table: PartnerTable
    public var from: Day
    public var to: Day
    public var projects: [ProjectWork]
    /// The questions the events' feedback forms asked.
    public var questions: [FeedbackQuestion]
    public var asOf: Timestamp

    public init(
        table: PartnerTable, from: Day, to: Day, projects: [ProjectWork], questions: [FeedbackQuestion], asOf: Timestamp
    ) {
        self.table = table
        self.from = from
        self.to = to
        self.projects = projects
        self.questions = questions
        self.asOf = asOf
    }

    /// Kinds of event the group attends (counted together) rather than holds (each told on its own).
    private static let never = Day(year: 9999, month: 12, day: 31)!

    static let attendedKinds: Set = ["community_event", "community_conversation", "presentation"]

    public func report(_ w: ReportWriting) -> Report {
        let sections = projects.sorted { $0.project.titleEn < $1.project.titleEn }.map { section($0, w) }
        return Report(
            kind: .workingGroupUpdate, language: w.language, title: w.choose(table.nameEn, table.nameFr),
            subtitle: w.text("report_wg_subtitle", w.period(from, to)), from: from, to: to, asOf: asOf,
            sections: sections,
            sources: [
                Report.Source(w.text("report_source_table"), link: .record(.partnerTable, table.id))
            ]
                + projects.map {
                    Report.Source(
                        w.choose($0.project.titleEn, $0.project.titleFr), link: .record(.project, $0.project.id))
                })
    }

    private func inPeriod(_ day: Day) -> Bool { from <= day && day <= to }

    private func section(_ work: ProjectWork, _ w: ReportWriting) -> Report.Section {
        let p = work.project, key = "p-\(p.id.uuidString.prefix(8))"
        var subsections: [Report.Section] = []
        if let purpose = w.choose(p.purposeEn, p.purposeFr) {
            subsections.append(
                .init(key: key + "-purpose", title: w.text("report_wg_purpose"), blocks: [.paragraph(purpose)]))
        }
        var outputs: [Report.Finding] = []
        for (o, value) in work.outputs {
            let figure = value.map {
                Report.Figure(
                    key: "value", value: $0,
                    text: w.number($0) + (o.unit.map { $0 == "%" ? (w.language == .fr ? " %" : "%") : " " + $0 } ?? ""))
            }
            let statement = Report.Span.text(w.choose(o.statementEn, o.statementFr)),
                shown = Report.Span.figure(figure ?? w.missing("value"))
            let spans =
                o.target.map {
                    w.sentence("report_output_target", [statement, shown, .figure(w.count("target", Int($0)))])
                }
                ?? w.sentence("report_output", [statement, shown])
            outputs.append(Report.Finding(key: "output-\(o.id)", spans, link: .record(.output, o.id)))
        }
        var keyBlocks: [Report.Block] = []
        if let activities = w.choose(p.keyActivitiesEn, p.keyActivitiesFr) { keyBlocks.append(.paragraph(activities)) }
        if !outputs.isEmpty { keyBlocks.append(.findings(outputs)) }
        if !keyBlocks.isEmpty {
            subsections.append(
                .init(key: key + "-activities", title: w.text("report_wg_key_activities"), blocks: keyBlocks))
        }

        let accomplishments = accomplished(work, w)
        subsections.append(
            .init(
                key: key + "-accomplishments", title: w.text("report_wg_accomplishments"),
                blocks: accomplishments.isEmpty
                    ? [.paragraph(w.text("report_wg_nothing_recorded"))] : [.findings(accomplishments)]))

        let done = completed(work, w)
        subsections.append(
            .init(
                key: key + "-completed", title: w.text("report_wg_steps_completed"),
                blocks: done.isEmpty ? [.paragraph(w.text("report_none"))] : [.findings(done)]))
        let next = items(work, kind: .nextStep, w)
        subsections.append(
            .init(
                key: key + "-next", title: w.text("report_wg_next_steps"),
                blocks: next.isEmpty ? [.paragraph(w.text("report_none"))] : [.findings(next)]))
        subsections.append(results(work, key: key, w))
        let members = items(work, kind: .actionItem, w)
        if !members.isEmpty {
            subsections.append(
                .init(
                    key: key + "-members",
                    title: w.text("report_wg_member_actions", w.choose(table.nameEn, table.nameFr)),
                    blocks: [.findings(members)]))
        }
        return Report.Section(key: key, title: w.choose(p.titleEn, p.titleFr), subsections: subsections)
    }

    /// Events attended, counted together by kind with what they handed out and what people said; events
    /// held, each with its participants and feedback; events scheduled after the period.
    private func accomplished(_ work: ProjectWork, _ w: ReportWriting) -> [Report.Finding] {
        let held = work.events.filter { inPeriod($0.event.occurredOn) }.sorted {
            $0.event.occurredOn < $1.event.occurredOn
        }
        var findings: [Report.Finding] = []
        let attended = Dictionary(
            grouping: held.filter { Self.attendedKinds.contains($0.event.kind) }, by: \.event.kind)
        for kind in attended.keys.sorted() {
            let group = attended[kind]!
            let first = group.first!.event.occurredOn, last = group.last!.event.occurredOn
            let key = "p-\(work.project.id)/attended-\(kind)"
            let kindLabel = w.inSentence(.eventKinds, kind)
            let spans: [Report.Span] =
                group.count == 1
                ? w.sentence(
                    "report_wg_attended_one",
                    [.text(w.choose(group[0].event.titleEn, group[0].event.titleFr)), .text(w.day(first))])
                : w.sentence(
                    "report_wg_attended",
                    [
                        .figure(w.count("events", group.count)), .text(kindLabel), .text(w.day(first)),
                        .text(w.day(last)),
                    ])
            let link: Report.Link =
                group.count == 1 ? .record(.event, group[0].event.id) : .record(.project, work.project.id)
            findings.append(
                Report.Finding(key: key, spans, link: link, details: outcomes(group, key: key, w, link: link)))
        }
        for e in held where !Self.attendedKinds.contains(e.event.kind) {
            let key = "event-\(e.event.id)"
            let people = e.event.participantsTrained ?? e.event.attendance
            let audience = (e.event.audienceGroups?.codes ?? []).map { w.inSentence(.audienceGroups, $0) }
            var values: [Report.Span] = [
                .text(w.choose(e.event.titleEn, e.event.titleFr)), .text(w.day(e.event.occurredOn)),
            ]
            let sentence: String
            if let people {
                values.append(.figure(w.count("participants", people)))
                values.append(.text(audience.isEmpty ? w.text("report_participants") : w.list(audience)))
                sentence = "report_wg_facilitated_for"
            } else {
                sentence = "report_wg_facilitated"
            }
            let link = Report.Link.record(.event, e.event.id)
            findings.append(
                Report.Finding(
                    key: key, w.sentence(sentence, values), link: link, details: outcomes([e], key: key, w, link: link))
            )
        }
        for e in work.events.filter({ $0.event.occurredOn > to }).sorted(by: {
            $0.event.occurredOn < $1.event.occurredOn
        }) {
            let audience = (e.event.audienceGroups?.codes ?? []).map { w.inSentence(.audienceGroups, $0) }
            let values: [Report.Span] = [
                .text(w.choose(e.event.titleEn, e.event.titleFr)), .text(w.day(e.event.occurredOn)),
                .text(w.list(audience)),
            ]
            findings.append(
                Report.Finding(
                    key: "upcoming-\(e.event.id)",
                    w.sentence(audience.isEmpty ? "report_wg_scheduled" : "report_wg_scheduled_for", values),
                    link: .record(.event, e.event.id)))
        }
        return findings
    }

    /// What a group of events handed out, and the share who agreed with each statement of their feedback forms.
    private func outcomes(_ events: [EventWork], key: String, _ w: ReportWriting, link: Report.Link) -> [Report.Finding]
    {
        var details: [Report.Finding] = []
        let handedOut = Dictionary(grouping: events.flatMap(\.materials), by: \.materialType).mapValues {
            $0.map(\.count).reduce(0, +)
        }
        for type in handedOut.keys.sorted() {
            let sentence =
                Catalogue.shared.entries["report_distributed_\(type)"] != nil
                ? "report_distributed_\(type)" : "report_distributed_other"
            details.append(
                Report.Finding(
                    key: key + "/materials-\(type)",
                    w.sentence(
                        sentence,
                        [.figure(w.count("count", handedOut[type]!)), .text(w.inSentence(.materialTypes, type))]),
                    link: link))
        }
        let submissions = events.flatMap(\.submissions)
        guard !submissions.isEmpty else { return details }
        let asked = Set(submissions.flatMap { $0.answers.map(\.questionId) })
        let questions = self.questions.filter { asked.contains($0.id) && $0.isLikert }
        let results = FeedbackResults(
            questions: questions, submissions: submissions, policy: w.policy, audience: w.audience)
        for (question, line) in zip(questions, results.lines) where line.n > 0 {
            let share = line.percentAgree.map { w.percent("agree", Double($0) / 100) } ?? w.withheld("agree")
            details.append(
                Report.Finding(
                    key: key + "/feedback-\(question.id)",
                    w.sentence(
                        "report_feedback_agreed",
                        [
                            .figure(share), .text(w.choose(question.textEn, question.textFr)),
                            .figure(w.count("n", line.n)),
                        ]),
                    link: link))
        }
        return details
    }

    private func completed(_ work: ProjectWork, _ w: ReportWriting) -> [Report.Finding] {
        var findings: [Report.Finding] = []
        for a in work.activities where inPeriod(a.occurredOn) {
            let when = a.endedOn.map { w.period(a.occurredOn, $0) } ?? w.day(a.occurredOn)
            findings.append(
                Report.Finding(
                    key: "activity-\(a.id)", [.text("\(when): \(w.choose(a.summaryEn, a.summaryFr))")],
                    link: .record(.activity, a.id)))
        }
        for e in work.events where inPeriod(e.event.occurredOn) && !Self.attendedKinds.contains(e.event.kind) {
            findings.append(
                Report.Finding(
                    key: "held-\(e.event.id)",
                    w.sentence(
                        "report_wg_hosted",
                        [.text(w.choose(e.event.titleEn, e.event.titleFr)), .text(w.day(e.event.occurredOn))]),
                    link: .record(.event, e.event.id)))
        }
        for plan in work.safetyPlans {
            findings.append(
                Report.Finding(
                    key: "safety-plan-\(plan.id)",
                    w.sentence(
                        "report_wg_safety_plan",
                        [
                            .text(w.choose(plan.titleEn, plan.titleFr)),
                            .text(w.inSentence(.safetyPlanStatuses, plan.status.rawValue)),
                        ]),
                    link: .record(.safetyPlan, plan.id)))
        }
        for item in work.actionItems where item.status == .done {
            findings.append(
                Report.Finding(
                    key: "item-\(item.id)", [.text(w.choose(item.descriptionEn, item.descriptionFr))],
                    link: .record(.actionItem, item.id)))
        }
        return findings
    }

    private func items(_ work: ProjectWork, kind: ActionItemKind, _ w: ReportWriting) -> [Report.Finding] {
        work.actionItems.filter { $0.kind == kind && ![.done, .cancelled].contains($0.status) }.enumerated()
            .sorted { ($0.element.dueOn ?? Self.never, $0.offset) < ($1.element.dueOn ?? Self.never, $1.offset) }.map(
                \.element
            )
            .map { item in
                var text = w.choose(item.descriptionEn, item.descriptionFr)
                if let due = item.dueOn { text += " " + w.text("report_due", w.day(due)) }
                if item.status != .open { text += " (" + w.inSentence(.actionItemStatuses, item.status.rawValue) + ")" }
                return Report.Finding(key: "item-\(item.id)", [.text(text)], link: .record(.actionItem, item.id))
            }
    }

    /// The counts of the project's work in the period beside its total to date, from activities and events.
    private func results(_ work: ProjectWork, key: String, _ w: ReportWriting) -> Report.Section {
        func counted(since: Day?) -> [ActivityCount: Int] {
            func within(_ day: Day) -> Bool { day <= to && (since.map { $0 <= day } ?? true) }
            let activities = work.activities.filter { within($0.occurredOn) }.map(CountedWork.init)
            let events = work.events.filter { within($0.event.occurredOn) }.map {
                CountedWork($0.event, materials: $0.materials)
            }
            return (activities + events).reduce(into: [:]) { sum, work in sum.merge(work.counts, uniquingKeysWith: +) }
        }
        let period = counted(since: from), toDate = counted(since: nil)
        let rows = ActivityCount.allCases.filter { toDate[$0] != nil }.map { c in
            [
                Report.Cell(CodeList.activityCounts.label(c.rawValue, w.language)),
                Report.Cell(w.count("period", period[c] ?? 0)),
                Report.Cell(w.count("to-date", toDate[c] ?? 0)),
            ]
        }
        guard !rows.isEmpty else {
            return .init(
                key: key + "-results", title: w.text("report_wg_results"), blocks: [.paragraph(w.text("report_none"))])
        }
        return .init(
            key: key + "-results", title: w.text("report_wg_results"),
            blocks: [
                .table(
                    Report.Table(
                        key: key + "-results",
                        caption: w.text(
                            "report_wg_results_caption", w.choose(work.project.titleEn, work.project.titleFr)),
                        columns: [w.text("report_count"), w.period(from, to), w.text("report_to_date", w.day(to))],
                        rows: rows))
            ])
    }
}
