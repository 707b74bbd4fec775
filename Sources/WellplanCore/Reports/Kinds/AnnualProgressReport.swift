import Foundation

/// The progress report the Act asks a municipality to publish: for each priority risk area what was done in
/// the year and what it produced, its outcome measures with their trend, then the situation tables'
/// figures, the consultations held, and where the plan stands against the Act.
public struct AnnualProgressReport: Sendable {
    public struct MeasureLine: Sendable {
        public var measure: Measure
        public var scorecard: ScorecardLine
        /// The whole area's figures, already through the disclosure policy.
        public var figures: [ShownFigure]
        public init(measure: Measure, scorecard: ScorecardLine, figures: [ShownFigure]) {
            self.measure = measure
            self.scorecard = scorecard
            self.figures = figures
        }
    }

    /// Police-reported incidents of one category in the period and in the year before it.
    public struct IncidentLine: Sendable {
        public var category: String
        public var current: Int
        public var previous: Int
        public init(category: String, current: Int, previous: Int) {
            self.category = category
            self.current = current
            self.previous = previous
        }
    }

    public var plan: PlanSnapshot
    public var from: Day
    public var to: Day
    public var activities: [Activity]
    public var events: [Event]
    public var measures: [MeasureLine]
    public var situationTables: DiscussionStatistics?
    /// The release the situation tables' statistics are from (they are released by quarter and year).
    public var situationTablesPeriod: Period?
    public var incidents: [IncidentLine]
    public var consultations: [(consultation: Consultation, methods: [ConsultationMethod])]
    public var compliance: ComplianceReport
    public var asOf: Timestamp

    public init(
        plan: PlanSnapshot, from: Day, to: Day, activities: [Activity], events: [Event], measures: [MeasureLine],
        situationTables: DiscussionStatistics?,
        situationTablesPeriod: Period? = nil, incidents: [IncidentLine] = [],
        consultations: [(consultation: Consultation, methods: [ConsultationMethod])],
        compliance: ComplianceReport,
        asOf: Timestamp
    ) {
        self.incidents = incidents
        self.situationTablesPeriod = situationTablesPeriod
        self.plan = plan
        self.from = from
        self.to = to
        self.activities = activities
        self.events = events
        self.measures = measures
        self.situationTables = situationTables
        self.consultations = consultations
        self.compliance = compliance
        self.asOf = asOf
    }

    public func report(_ w: ReportWriting) -> Report {
        let p = plan.plan
        var sections: [Report.Section] = [overview(w)]
        for priority in plan.priorities { sections.append(self.priority(priority, w)) }
        let loose = plan.projects.filter { project in
            !plan.recommendations.contains { $0.id == project.recommendationId && $0.priorityId != nil }
        }
        if !loose.isEmpty {
            sections.append(
                Report.Section(
                    key: "other-projects", title: w.text("report_ap_other_projects"),
                    blocks: work(loose, key: "other", w)))
        }
        let priorities = Set(plan.priorities.map(\.id))
        let unlinked = measures.filter { $0.measure.priorities.allSatisfy { !priorities.contains($0) } }
        if !unlinked.isEmpty {
            sections.append(
                Report.Section(
                    key: "measures", title: w.text("report_ap_other_measures"),
                    blocks: outcomeMeasures(unlinked, key: "measures", w)))
        }
        if let stats = situationTables {
            let title =
                w.text("report_ap_situation_tables")
                + (situationTablesPeriod.map { " · " + $0.label(w.language) } ?? "")
            sections.append(SituationTableAnnualReport.section(stats, key: "situation-tables", title: title, w))
        }
        if !incidents.isEmpty { sections.append(incidentSection(w)) }
        sections.append(consultationSection(w))
        sections.append(complianceSection(w))
        return Report(
            kind: .annualProgress, language: w.language, title: w.choose(p.titleEn, p.titleFr),
            subtitle: w.text("report_ap_subtitle", w.period(from, to)),
            from: from, to: to, asOf: asOf, sections: sections,
            sources: [
                Report.Source(
                    w.choose(p.titleEn, p.titleFr), link: Report.Link(SiteURL.publicPlan(p.id)))
            ])
    }

    private func inPeriod(_ day: Day) -> Bool { from <= day && day <= to }

    /// How many of a project's activities, and of its events, the report names.
    static let listedPerProject = 10

    private func overview(_ w: ReportWriting) -> Report.Section {
        let progress = plan.progress(w.language)
        var findings = [
            Report.Finding(
                key: "overall-progress",
                w.sentence(
                    "report_ap_overall",
                    [.figure(progress.fraction.map { w.percent("progress", $0) } ?? w.missing("progress"))]),
                link: Report.Link(SiteURL.record(.plan, plan.plan.id)))
        ]
        let projects = Set(plan.projects.map(\.id))
        let done = activities.filter { projects.contains($0.projectId) && inPeriod($0.occurredOn) }.count
        let held = events.filter { inPeriod($0.occurredOn) }.count
        findings.append(
            Report.Finding(
                key: "activities",
                w.sentence(
                    "report_ap_activities", [.figure(w.count("activities", done)), .figure(w.count("events", held))])))
        let rows = progress.flattened().dropFirst().filter { $0.depth <= 2 }.map { row in
            [
                Report.Cell(String(repeating: "  ", count: row.depth - 1) + row.progress.title),
                Report.Cell(row.progress.fraction.map { w.percent("p", $0) } ?? w.missing("p")),
                Report.Cell(row.progress.formula),
            ]
        }
        return Report.Section(
            key: "overview", title: w.text("report_ap_overview"),
            blocks: [
                .findings(findings),
                .table(
                    Report.Table(
                        key: "progress", caption: w.text("report_ap_progress_caption"),
                        columns: [w.text("report_part"), w.text("report_progress"), w.text("report_how")], rows: rows)),
            ])
    }

    private func priority(_ a: PriorityRiskArea, _ w: ReportWriting) -> Report.Section {
        let recommendations = Set(plan.recommendations.filter { $0.priorityId == a.id }.map(\.id))
        let projects = plan.projects.filter { $0.recommendationId.map(recommendations.contains) ?? false }
        var blocks = work(projects, key: "priority-\(a.number)", w)
        let measures = self.measures.filter { $0.measure.priorities.contains(a.id) }
        if !measures.isEmpty { blocks += outcomeMeasures(measures, key: "priority-\(a.number)", w) }
        return Report.Section(
            key: "priority-\(a.number)", title: "\(a.number). \(w.choose(a.titleEn, a.titleFr))", narrative: nil,
            blocks: blocks)
    }

    /// What the projects did in the period and what their outputs stand at.
    private func work(_ projects: [Project], key: String, _ w: ReportWriting) -> [Report.Block] {
        guard !projects.isEmpty else { return [.paragraph(w.text("report_ap_no_projects"))] }
        let findings = projects.map { project -> Report.Finding in
            let done = activities.filter { $0.projectId == project.id && inPeriod($0.occurredOn) }.sorted {
                $0.occurredOn < $1.occurredOn
            }
            let held = events.filter { $0.projectId == project.id && inPeriod($0.occurredOn) }
            // The latest few by name; the rest are counted, one link away.
            let shown = Self.listedPerProject
            let details =
                done.suffix(shown).map {
                    Report.Finding(
                        key: "activity-\($0.id)",
                        [.text("\(w.day($0.occurredOn)): \(w.choose($0.summaryEn, $0.summaryFr))")],
                        link: .record(.activity, $0.id))
                }
                + held.sorted { $0.occurredOn < $1.occurredOn }.suffix(shown).map { e in
                    Report.Finding(
                        key: "event-\(e.id)", [.text("\(w.day(e.occurredOn)): \(w.choose(e.titleEn, e.titleFr))")],
                        link: .record(.event, e.id))
                }
                + (done.count > shown
                    ? [
                        Report.Finding(
                            key: "more-\(project.id)",
                            w.sentence("report_ap_more", [.figure(w.count("more", done.count - shown))]),
                            link: .record(.project, project.id))
                    ]
                    : [])
            return Report.Finding(
                key: "project-\(project.id)",
                w.sentence(
                    "report_ap_project",
                    [
                        .text(w.choose(project.titleEn, project.titleFr)),
                        .figure(w.count("done", done.count + held.count)),
                    ]),
                link: .record(.project, project.id), details: details)
        }
        let ids = Set(projects.map(\.id))
        let rows = plan.outputs.filter { ids.contains($0.projectId) }.map { o -> [Report.Cell] in
            let value = plan.outputValues[o.id.uuidString]
            return [
                Report.Cell(w.choose(o.statementEn, o.statementFr), link: .record(.output, o.id)),
                Report.Cell(value.map { Report.Figure(key: "v", value: $0, text: w.number($0)) } ?? w.missing("v")),
                Report.Cell(o.target.map { w.number($0) } ?? "—", value: o.target),
                Report.Cell(
                    value.flatMap { v in o.target.flatMap { $0 > 0 ? w.percent("p", v / $0) : nil } } ?? w.missing("p")),
            ]
        }
        var blocks: [Report.Block] = [.findings(findings)]
        if !rows.isEmpty {
            blocks.append(
                .table(
                    Report.Table(
                        key: key + "-outputs", caption: w.text("report_ap_outputs"),
                        columns: [
                            w.text("report_output_column"), w.text("report_value"), w.text("field_target"),
                            w.text("report_of_target_column"),
                        ], rows: rows
                    )))
        }
        return blocks
    }

    private func outcomeMeasures(_ lines: [MeasureLine], key: String, _ w: ReportWriting) -> [Report.Block] {
        var blocks: [Report.Block] = []
        var findings: [Report.Finding] = []
        for line in lines {
            let m = line.measure, s = line.scorecard
            let format = FigureFormat(m, w.language)
            let link =
                m.published
                ? Report.Link(SiteURL.publicMeasure(m.id))
                : Report.Link(SiteURL.measureSeries(m.id))
            // The latest figure, shown or withheld: a withheld year is said, not skipped for an older one.
            let latest = line.figures.filter { $0.areaCode == nil && $0.breakdown.isEveryone }.max {
                $0.period < $1.period
            }
            let current =
                latest?.value.map { Report.Figure(key: "current", value: $0, text: format.text($0), link: link) }
                ?? w.withheld("current")
            var spans = w.sentence(
                "report_ap_measure",
                [.text(m.name(w.language)), .figure(current), .text(latest?.period.label(w.language) ?? "—")])
            if let trend = s.trend {
                spans += [
                    .text(
                        " — " + w.text("trend_\(trend.direction.rawValue)") + ", "
                            + w.text("trend_\(trend.judgement.rawValue)"))
                ]
            }
            if let target = s.currentTarget {
                spans += [
                    .text(" · " + w.text("field_target") + " "),
                    .figure(Report.Figure(key: "target", value: target, text: format.text(target))),
                ]
            }
            findings.append(Report.Finding(key: "measure-\(m.id)", spans, link: link))
            let overall = line.figures.filter { $0.areaCode == nil && $0.breakdown.isEveryone }.sorted {
                $0.period < $1.period
            }.suffix(8)
            if overall.count > 1 {
                let bars = overall.map { f in
                    Report.Chart.Bar(
                        label: f.period.label(w.language),
                        figure: f.value.map {
                            Report.Figure(key: f.period.description, value: $0, text: format.text($0))
                        } ?? w.withheld(f.period.description))
                }
                blocks.append(
                    .chart(
                        Report.Chart(
                            key: "measure-\(m.id)", title: m.name(w.language),
                            description: w.text(
                                "report_chart_description", m.name(w.language),
                                bars.map { "\($0.label): \($0.figure.text)" }.joined(separator: "; ")),
                            bars: Array(bars), reference: s.currentTarget,
                            referenceLabel: s.currentTarget.map { w.text("field_target") + " " + format.text($0) })))
            }
        }
        return [.findings(findings)] + blocks
    }

    /// Incidents by category against the same days a year earlier, most frequent first.
    private func incidentSection(_ w: ReportWriting) -> Report.Section {
        let lines = incidents.sorted { ($0.current, $1.category) > ($1.current, $0.category) }
        let total = lines.map(\.current).reduce(0, +), before = lines.map(\.previous).reduce(0, +)
        func change(_ now: Int, _ then: Int) -> Report.Cell {
            then == 0
                ? Report.Cell(w.missing("change")) : Report.Cell(w.percent("change", Double(now - then) / Double(then)))
        }
        let rows = lines.map { l in
            [
                Report.Cell(l.category), Report.Cell(w.count("now", l.current)),
                Report.Cell(w.count("then", l.previous)), change(l.current, l.previous),
            ]
        }
        return Report.Section(
            key: "incidents", title: w.text("report_ap_incidents"),
            blocks: [
                .findings([
                    Report.Finding(
                        key: "incidents-total",
                        w.sentence(
                            "report_ap_incidents_total",
                            [.figure(w.count("now", total)), .figure(w.count("then", before))]),
                        link: Report.Link(SiteURL.incidentCounts(from: from, to: to)))
                ]),
                .table(
                    Report.Table(
                        key: "incidents", caption: w.text("report_ap_incidents_caption"),
                        columns: [
                            w.text("field_category"), w.period(from, to),
                            w.period(from.adding(years: -1), to.adding(years: -1)), w.text("report_change"),
                        ],
                        rows: rows)),
            ])
    }

    private func consultationSection(_ w: ReportWriting) -> Report.Section {
        let held = consultations.filter { c in
            let start = c.consultation.startsOn ?? c.consultation.endsOn ?? from, end = c.consultation.endsOn ?? start
            return start <= to && from <= end
        }
        guard !held.isEmpty else {
            return Report.Section(
                key: "consultations", title: w.text("report_ap_consultations"),
                blocks: [.paragraph(w.text("report_none"))])
        }
        let findings = held.map { c in
            let people = c.methods.compactMap(\.participants).reduce(0, +)
            return Report.Finding(
                key: "consultation-\(c.consultation.id)",
                w.sentence(
                    "report_ap_consultation",
                    [
                        .text(w.choose(c.consultation.titleEn, c.consultation.titleFr)),
                        .figure(w.count("people", people)),
                    ]),
                link: Report.Link(SiteURL.publicConsultation(c.consultation.id)))
        }
        return Report.Section(
            key: "consultations", title: w.text("report_ap_consultations"), blocks: [.findings(findings)])
    }

    private func complianceSection(_ w: ReportWriting) -> Report.Section {
        func deadline(_ d: Deadline) -> [Report.Cell] {
            [
                Report.Cell(w.text("deadline_\(d.name)")), Report.Cell(d.due.map(w.day) ?? "—"),
                Report.Cell(d.metOn.map(w.day) ?? "—"),
                Report.Cell(w.text("deadline_state_\(d.state.rawValue)")),
            ]
        }
        let groups = compliance.consultationGroups
        let heard = groups.filter(\.isCovered).count
        return Report.Section(
            key: "compliance", title: w.text("report_ap_compliance"),
            blocks: [
                .findings([
                    Report.Finding(
                        key: "compliance-status",
                        [.text(w.text(compliance.isCompliant ? "report_ap_compliant" : "report_ap_not_compliant"))],
                        link: Report.Link(SiteURL.plan(plan.plan.id, .compliance))),
                    Report.Finding(
                        key: "groups-heard",
                        w.sentence(
                            "report_ap_groups_heard",
                            [.figure(w.count("heard", heard)), .figure(w.count("groups", groups.count))])),
                ]),
                .table(
                    Report.Table(
                        key: "deadlines", caption: w.text("report_ap_deadlines"),
                        columns: [
                            w.text("report_deadline"), w.text("deadline_due"), w.text("deadline_met_on"),
                            w.text("deadline_status"),
                        ],
                        rows: [deadline(compliance.publishBy), deadline(compliance.reviewDue)])),
            ])
    }
}
