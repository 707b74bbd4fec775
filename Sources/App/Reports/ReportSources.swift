import Fluent
import Foundation
import SQLKit
import WellplanCore

/// Reads what each kind of report is made of from the database and hands it to the kind's builder in
/// `WellplanCore`: the one place where reports meet storage. The web, the API, the job and the command
/// line all come through here.
struct ReportSources {
    let db: any Database
    let policy: DisclosurePolicy
    /// The day a report's default period ends and its releases are judged by.
    let clock: Clock

    private var store: Records { Records(db: db.sql) }

    struct Resolved {
        let planId: UUID?
        let from: Day?
        let to: Day?
    }

    /// The request checked against its subject, with the period each kind takes by default: a working
    /// group's update runs from the day after its previous update; yearly reports cover this year to date.
    func resolve(_ r: ReportRequest) async throws -> Resolved {
        var problems: [FieldProblem] = []
        if let from = r.from, let to = r.to, to < from {
            problems.append(FieldProblem("to", "error_ends_before_start"))
        }
        let today = clock.today
        let yearStart = Day(year: (r.to ?? today).year, month: 1, day: 1)!
        switch r.kind {
        case .workingGroupUpdate, .situationTableAnnual:
            guard let table = try await store.find(PartnerTable.self, r.subjectId) else {
                throw WellplanError.invalid([
                    FieldProblem("subjectId", "error_reference_not_found", [r.subjectId.uuidString])
                ])
            }
            if r.kind == .situationTableAnnual && table.kind != .situationTable {
                problems.append(FieldProblem("subjectId", "error_report_not_situation_table"))
            }
            if !problems.isEmpty { throw WellplanError.invalid(problems) }
            let to = r.to ?? today
            var from = r.from ?? yearStart
            if r.kind == .workingGroupUpdate && r.from == nil {
                from = try await previousUpdateEnd(table.id, before: to)?.adding(days: 1) ?? to.adding(months: -3)
            }
            if to < from { throw WellplanError.invalid([FieldProblem("to", "error_ends_before_start")]) }
            return Resolved(planId: table.planId, from: from, to: to)
        case .annualProgress:
            guard try await store.find(Plan.self, r.subjectId) != nil else {
                throw WellplanError.invalid([
                    FieldProblem("subjectId", "error_reference_not_found", [r.subjectId.uuidString])
                ])
            }
            if !problems.isEmpty { throw WellplanError.invalid(problems) }
            return Resolved(planId: r.subjectId, from: r.from ?? yearStart, to: r.to ?? today)
        case .consultationResults:
            guard let c = try await store.find(Consultation.self, r.subjectId) else {
                throw WellplanError.invalid([
                    FieldProblem("subjectId", "error_reference_not_found", [r.subjectId.uuidString])
                ])
            }
            if !problems.isEmpty { throw WellplanError.invalid(problems) }
            return Resolved(planId: c.planId, from: r.from ?? c.startsOn, to: r.to ?? c.endsOn)
        case .cptedEvaluation:
            guard let audit = try await store.find(CptedAudit.self, r.subjectId) else {
                throw WellplanError.invalid([
                    FieldProblem("subjectId", "error_reference_not_found", [r.subjectId.uuidString])
                ])
            }
            let design = try await evaluationDesign(audit, r.parameters ?? [:])
            return Resolved(planId: nil, from: design.before.lowerBound, to: design.after.upperBound.adding(days: -1))
        }
    }

    /// The end of the group's latest update before this one, published or not.
    private func previousUpdateEnd(_ table: UUID, before to: Day) async throws -> Day? {
        try await db.sql.select().column("to_day").from("reports").where(
            "kind", .equal, SQLBind(ReportKind.workingGroupUpdate.rawValue)
        )
        .where("subject_id", .equal, SQLBind(table)).where("to_day", .lessThan, SQLBind(to.description)).orderBy(
            "to_day", .descending
        ).limit(1)
        .first()?.decode(column: "to_day", as: String?.self).flatMap(Day.init)
    }

    /// Builds the report in both languages from the data as they stand now.
    func build(_ r: ReportRequest, progress: @escaping @Sendable (Double, String?) async -> Void = { _, _ in })
        async throws -> [Language: Report]
    {
        let resolved = try await resolve(r)
        let asOf = clock.now
        let audience = r.audience ?? .publicRelease
        await progress(0.05, "reading records")
        let make: (ReportWriting) -> Report
        switch r.kind {
        case .workingGroupUpdate: make = try await workingGroupUpdate(r.subjectId, resolved, asOf, progress).report
        case .annualProgress: make = try await annualProgress(r.subjectId, resolved, asOf, audience, progress).report
        case .consultationResults: make = try await consultation(r.subjectId, resolved, asOf, audience).report
        case .situationTableAnnual: make = try await situationTable(r.subjectId, resolved, asOf, audience).report
        case .cptedEvaluation: make = try await cpted(r.subjectId, r.parameters ?? [:], asOf).report
        }
        await progress(0.9, "writing")
        var out: [Language: Report] = [:]
        for language in Language.allCases {
            out[language] = make(ReportWriting(language, policy: policy, audience: audience))
        }
        await progress(1, nil)
        return out
    }

    private func workingGroupUpdate(
        _ tableId: UUID, _ r: Resolved, _ asOf: Timestamp, _ progress: @Sendable (Double, String?) async -> Void
    ) async throws
        -> WorkingGroupUpdate
    {
        guard let table = try await store.find(PartnerTable.self, tableId) else {
            throw WellplanError.notFound("table")
        }
        let projects = try await store.list(Project.self, filters: ["leadTableId": tableId]).filter {
            $0.status != .cancelled
        }
        // Everything by the set: one statement per kind, however many projects, events and forms.
        await progress(0.2, "projects")
        let byProject = (field: "projectId", ids: projects.map(\.id))
        let parts = try await PlanSnapshots.projectParts(byProject.ids, store)
        let activities = try await store.list(Activity.self, among: byProject)
        let safetyPlans = try await store.list(NeighbourhoodSafetyPlan.self, among: byProject)
        let events = try await store.list(Event.self, among: byProject)
        let byEvent = (field: "eventId", ids: events.map(\.id))
        let materials = try await store.list(EventMaterial.self, among: byEvent)
        let forms = try await store.list(FeedbackForm.self, among: byEvent)
        await progress(0.6, "feedback")
        let feedback = FeedbackSubmissions(db: db, clock: clock)
        let questions = try await feedback.questions(of: forms)
        let submissions = try await feedback.submissions(of: forms)
        let work = projects.map { project in
            WorkingGroupUpdate.ProjectWork(
                project: project,
                activities: activities.filter { $0.projectId == project.id },
                events: events.filter { $0.projectId == project.id }.map { event in
                    WorkingGroupUpdate.EventWork(
                        event: event, materials: materials.filter { $0.eventId == event.id },
                        submissions: forms.filter { $0.eventId == event.id }.flatMap { submissions[$0.id] ?? [] })
                },
                outputs: parts.outputs.filter { $0.projectId == project.id }.map {
                    ($0, parts.outputValues[$0.id.uuidString])
                },
                actionItems: parts.actionItems.filter { $0.projectId == project.id },
                safetyPlans: safetyPlans.filter { $0.projectId == project.id })
        }
        return WorkingGroupUpdate(
            table: table, from: r.from!, to: r.to!, projects: work,
            questions: questions.sorted { $0.textEn < $1.textEn }, asOf: asOf)
    }

    private func annualProgress(
        _ planId: UUID, _ r: Resolved, _ asOf: Timestamp, _ audience: Audience,
        _ progress: @Sendable (Double, String?) async -> Void
    ) async throws -> AnnualProgressReport {
        guard let snapshot = try await PlanSnapshots.snapshot(planId, store) else {
            throw WellplanError.notFound("plan")
        }
        await progress(0.2, "activities")
        let byProject = (field: "projectId", ids: snapshot.projects.map(\.id))
        let activities = try await store.list(Activity.self, among: byProject)
        let events = try await store.list(Event.self, among: byProject)
        await progress(0.35, "measures")
        let measures = try await store.list(Measure.self, filters: ["planId": planId]).filter {
            audience == .partners || $0.published
        }
        let lines = try await MeasureView.load(
            measures, db: db, policy: policy, audience: audience, wholeAreaOnly: true
        ).map {
            AnnualProgressReport.MeasureLine(measure: $0.measure, scorecard: $0.scorecard, figures: $0.figures)
        }
        await progress(0.6, "situation tables")
        let tables = try await store.list(PartnerTable.self, filters: ["planId": planId]).filter {
            $0.kind == .situationTable
        }
        // Released statistics only, as on the statistics pages: a report is read beyond the tables.
        let period = StatisticsPages.release(within: r.from!, r.to!, today: clock.today)
        let statistics =
            tables.isEmpty
            ? nil
            : try await StatisticsPages.release(
                period, of: try await StatisticsPages.situationTables(of: planId, store), withPlan: true,
                ReleasedQuarters(db: db, clock: clock), policy: policy,
                audience: audience
            ).plan
        await progress(0.7, "incidents")
        let incidents = try await incidentLines(from: r.from!, to: r.to!)
        await progress(0.8, "consultations")
        let planConsultations = try await store.list(Consultation.self, filters: ["planId": planId])
        let methods = try await store.list(
            ConsultationMethod.self, among: ("consultationId", planConsultations.map(\.id)))
        let consultations = planConsultations.map { c in
            (consultation: c, methods: methods.filter { $0.consultationId == c.id })
        }
        let compliance = try await ComplianceReports.report(snapshot.plan, store, on: r.to!)
        return AnnualProgressReport(
            plan: snapshot, from: r.from!, to: r.to!, activities: activities, events: events, measures: lines,
            situationTables: statistics,
            situationTablesPeriod: period,
            incidents: incidents, consultations: consultations, compliance: compliance, asOf: asOf)
    }

    /// Incidents by category over the period and over the same days a year before, counted in the database.
    private func incidentLines(from: Day, to: Day) async throws -> [AnnualProgressReport.IncidentLine] {
        func counts(_ from: Day, _ to: Day) async throws -> [String: Int] {
            let rows = try await db.sql.select().column("category").column(
                SQLFunction("COUNT", args: SQLLiteral.all), as: "n"
            ).from("incidents")
                .where("occurred_on", .greaterThanOrEqual, SQLBind(from.description)).where(
                    "occurred_on", .lessThanOrEqual, SQLBind(to.description)
                )
                .groupBy("category").all()
            return Dictionary(
                uniqueKeysWithValues: try rows.map {
                    (try $0.decode(column: "category", as: String.self), try $0.decode(column: "n", as: Int.self))
                })
        }
        let now = try await counts(from, to), then = try await counts(from.adding(years: -1), to.adding(years: -1))
        return Set(now.keys).union(then.keys).map {
            .init(category: $0, current: now[$0] ?? 0, previous: then[$0] ?? 0)
        }
    }

    private func consultation(_ id: UUID, _ r: Resolved, _ asOf: Timestamp, _ audience: Audience) async throws
        -> LanguagePair<ConsultationReport>
    {
        guard let c = try await store.find(Consultation.self, id) else { throw WellplanError.notFound("consultation") }
        let codings = Codings(db: db, author: .commandLine)
        var byLanguage: [Language: ConsultationReport] = [:]
        for language in Language.allCases {
            let summary = try await codings.summary(
                c, language: language, publicEdition: audience == .publicRelease ? policy : nil
            ).summary
            byLanguage[language] = ConsultationReport(
                consultationId: id, summary: summary, from: r.from, to: r.to, asOf: asOf)
        }
        return LanguagePair(byLanguage: byLanguage) { $0.report($1) }
    }

    private func situationTable(_ id: UUID, _ r: Resolved, _ asOf: Timestamp, _ audience: Audience) async throws
        -> SituationTableAnnualReport
    {
        guard let table = try await store.find(PartnerTable.self, id) else { throw WellplanError.notFound("table") }
        // Released statistics only, over the release the report's days hold, with the plan's other tables.
        let period = StatisticsPages.release(within: r.from!, r.to!, today: clock.today)
        let (tables, withPlan) = try await StatisticsPages.releasedTogether(with: table, store)
        let released = try await StatisticsPages.release(
            period, of: tables, withPlan: withPlan, ReleasedQuarters(db: db, clock: clock), policy: policy,
            audience: audience)
        let statistics = released.tables[tables.firstIndex { $0.id == id }!]
        return SituationTableAnnualReport(
            table: table, from: period.start, to: period.end.adding(days: -1), statistics: statistics, asOf: asOf)
    }

    private func cpted(_ id: UUID, _ parameters: [String: String], _ asOf: Timestamp) async throws
        -> CptedEvaluationReport
    {
        guard let audit = try await store.find(CptedAudit.self, id) else { throw WellplanError.notFound("cpted_audit") }
        let design = try await evaluationDesign(audit, parameters)
        guard let layer = parameters["controlLayerId"].flatMap(UUID.init(uuidString:)),
            let code = parameters["controlAreaCode"], !code.isEmpty
        else {
            throw WellplanError.invalid([FieldProblem("controlAreaCode", "error_required")])
        }
        let outcome = try await Evaluations(db: db).evaluate(
            audit, design: design, controlLayer: layer, controlCode: code)
        return CptedEvaluationReport(
            audit: audit, recommendations: try await store.list(CptedRecommendation.self, filters: ["auditId": id]),
            design: design, before: outcome.before,
            after: outcome.after, control: outcome.control, result: outcome.result, asOf: asOf)
    }

    /// The evaluation's design from the report's parameters; the day of change is the audit's last implemented recommendation unless given.
    private func evaluationDesign(_ audit: CptedAudit, _ p: [String: String]) async throws -> EvaluationDesign {
        var problems: [FieldProblem] = []
        var changedOn: Day?
        if let text = p["changedOn"], !text.isEmpty {
            changedOn = Day(text)
            if changedOn == nil { problems.append(FieldProblem("changedOn", "error_not_day")) }
        } else {
            changedOn = try await Evaluations(db: db).lastChange(of: audit)
            if changedOn == nil { problems.append(FieldProblem("changedOn", "error_implemented_on_required")) }
        }
        if p["controlAreaCode"]?.isEmpty ?? true { problems.append(FieldProblem("controlAreaCode", "error_required")) }
        if p["controlLayerId"].flatMap(UUID.init(uuidString:)) == nil {
            problems.append(FieldProblem("controlLayerId", "error_required"))
        }
        var design = EvaluationDesign(implementedOn: changedOn ?? clock.today)
        do throws(WellplanError) {
            design = try EvaluationDesign(implementedOn: changedOn ?? clock.today, parameters: p)
        } catch {
            guard case .invalid(let found) = error else { throw error }
            problems += found
        }
        problems += design.problems()
        if !problems.isEmpty { throw WellplanError.invalid(problems) }
        return design
    }
}

/// A kind whose input differs by language (a consultation's summary is read in the reader's language).
struct LanguagePair<Input: Sendable>: Sendable {
    let byLanguage: [Language: Input]
    let make: @Sendable (Input, ReportWriting) -> Report
    func report(_ w: ReportWriting) -> Report { make(byLanguage[w.language]!, w) }
}
