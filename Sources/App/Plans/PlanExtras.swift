import Vapor
import WellplanCore

/// What a plan's, a project's or a table's page shows beyond its fields: the progress tree with
/// its formulas, the status timeline, links to compliance and versions.
struct PlanExtras: Encodable {
    struct ProgressRow: Encodable {
        let depth: Int
        let kind: String
        let title: String
        let href: String?
        let percent: String
        let formula: String
        let weight: String
    }
    struct TimelineRow: Encodable {
        let at: String
        let what: String
        let from: String
        let to: String
        let by: String
    }
    struct Link: Encodable {
        let href: String
        let label: String
    }

    let progress: [ProgressRow]
    let timeline: [TimelineRow]
    let links: [Link]

    static func load(for record: some Record, _ req: Request) async throws -> PlanExtras? {
        let store = Records(db: req.sql)
        let lang = req.language
        switch record {
        case let plan as Plan:
            guard let snapshot = try await PlanSnapshots.snapshot(plan.id, store) else { return nil }
            return PlanExtras(
                progress: rows(snapshot.progress(lang), req), timeline: [],
                links: [
                    .init(href: SiteURL.plan(plan.id, .compliance).path, label: req.text("compliance_title")),
                    .init(
                        href: SiteURL.plan(plan.id, .situationStatistics).path, label: req.text("statistics_plan_link")),
                    .init(href: SiteURL.plan(plan.id, .versions).path, label: req.text("versions_title")),
                    .init(href: SiteURL.plan(plan.id, .scorecard).path, label: req.text("scorecard_heading")),
                    .init(href: SiteURL.publicDashboard(plan.id).path, label: req.text("dashboard_heading")),
                    report(.annualProgress, plan.id, req),
                ])
        case let project as Project:
            let (outputs, items, values) = try await PlanSnapshots.projectParts([project.id], store)
            let progress = WellplanCore.Progress.of(
                project, outputs: outputs, actionItems: items, outputValues: values, language: lang)
            let entries = try await StatusTimeline.entries(on: req.sql, recordIds: [project.id] + items.map(\.id))
            let timeline = entries.map { entry -> TimelineRow in
                let kind = RecordKind(rawValue: entry.kind) ?? .project
                let list: CodeList = kind == .project ? .projectStatuses : .actionItemStatuses
                let title =
                    kind == .project ? project.title(lang) : items.first { $0.id == entry.recordId }?.title(lang) ?? ""
                return TimelineRow(
                    at: entry.at.minute,
                    what: "\(req.text(kind.labelKey)): \(title)",
                    from: entry.fromStatus.map { list.label($0, lang) } ?? "—",
                    to: list.label(entry.toStatus, lang), by: entry.actorLabel)
            }
            return PlanExtras(progress: rows(progress, req), timeline: timeline, links: [])
        case let consultation as Consultation:
            let counts = try await ResponseImports(db: req.db, author: req.author).counts(consultation.id)
            return PlanExtras(
                progress: [], timeline: [],
                links: [
                    .init(
                        href: SiteURL.consultation(consultation.id, .responseImport).path,
                        label: "\(req.text("import_responses")) (\(counts.responses))"),
                    .init(
                        href: SiteURL.consultation(consultation.id, .codebook).path, label: req.text("codebook_heading")
                    ),
                    .init(href: SiteURL.consultation(consultation.id, .coding).path, label: req.text("coding_heading")),
                    .init(
                        href: SiteURL.consultation(consultation.id, .agreement).path,
                        label: req.text("agreement_heading")),
                    .init(
                        href: SiteURL.consultation(consultation.id, .summary).path, label: req.text("summary_heading")),
                    report(.consultationResults, consultation.id, req),
                ])
        case let plan as NeighbourhoodSafetyPlan:
            let counts = DistributionCounts(
                try await store.list(SafetyPlanDistribution.self, filters: ["safetyPlanId": plan.id]))
            var links = [Link(href: SiteURL.safetyPlanVersions(plan.id).path, label: req.text("safety_plan_versions"))]
            links.append(
                .init(
                    href: SiteURL.records(.safetyPlanDistribution).path + "?safetyPlanId=\(plan.id)",
                    label: "\(req.text("safety_plan_distributed")): \(counts.total)"))
            for (channel, n) in counts.byChannel.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                links.append(
                    .init(
                        href: SiteURL.records(.safetyPlanDistribution).path + "?safetyPlanId=\(plan.id)",
                        label: "\(channel.label(lang)): \(n)"))
            }
            let events = try await store.list(Event.self, among: ("id", Array(counts.byEvent.keys)))
            for (event, n) in counts.byEvent {
                let title = events.first { $0.id == event }?.title(lang) ?? event.uuidString
                links.append(.init(href: SiteURL.record(.event, event).path, label: "\(title): \(n)"))
            }
            return PlanExtras(progress: [], timeline: [], links: links)
        case let measure as Measure:
            var links = [Link(href: SiteURL.measureSeries(measure.id).path, label: req.text("measure_series_link"))]
            if measure.published {
                links.append(.init(href: SiteURL.publicMeasure(measure.id).path, label: req.text("nav_public")))
            }
            return PlanExtras(progress: [], timeline: [], links: links)
        case let audit as CptedAudit:
            return PlanExtras(
                progress: [], timeline: [],
                links: [
                    .init(
                        href: SiteURL.evaluation(.cptedAudit, audit.id).path, label: req.text("evaluation_site_link")),
                    report(.cptedEvaluation, audit.id, req),
                ])
        case let finding as AuditFinding:
            let photos = try await FindingPhotos(db: req.db).list(finding.id)
            return PlanExtras(
                progress: [], timeline: [],
                links: [
                    .init(
                        href: SiteURL.findingPhotos(finding.id).path,
                        label: "\(req.text("finding_photos")): \(photos.count)")
                ])
        case let recommendation as CptedRecommendation where recommendation.isImplemented:
            return PlanExtras(
                progress: [], timeline: [],
                links: [
                    .init(
                        href: SiteURL.evaluation(.cptedRecommendation, recommendation.id).path,
                        label: req.text("evaluation_heading"))
                ])
        case let layer as Layer:
            return PlanExtras(
                progress: [], timeline: [],
                links: [
                    .init(href: SiteURL.layer(layer.id, .areas).path, label: req.text("areas_heading")),
                    .init(href: SiteURL.layer(layer.id, .map).path, label: req.text("map_choropleth")),
                    .init(href: SiteURL.incidentCounts(layer: layer.id).path, label: req.text("incidents_counts")),
                ])
        case let form as FeedbackForm:
            return PlanExtras(
                progress: [], timeline: [],
                links: [
                    .init(href: SiteURL.publicFeedbackForm(form.id).path, label: req.text("feedback_public_link")),
                    .init(href: SiteURL.feedbackForm(form.id, .poster).path, label: req.text("feedback_poster")),
                    .init(href: SiteURL.feedbackForm(form.id, .paper).path, label: req.text("feedback_paper")),
                    .init(href: SiteURL.feedbackForm(form.id, .results).path, label: req.text("feedback_results")),
                ])
        case let table as PartnerTable where table.kind == .situationTable:
            let actor = try await req.actor()
            var links: [Link] = []
            if table.sharesStatistics(with: .publicRelease) {
                links.append(
                    Link(
                        href: SiteURL.publicStatistics(table: table.id).path,
                        label: req.text("statistics_public_link")))
            }
            if actor.isSignedIn, table.sharesStatistics(with: .partners) || actor.tables.contains(table.id) {
                links.insert(
                    .init(href: SiteURL.table(table.id, .statistics).path, label: req.text("statistics_partner_link")),
                    at: 0)
            }
            if AccessPolicy.permits(try await req.actor(), .read, .record(.situationDiscussion, owningTable: table.id))
            {
                links.insert(
                    .init(href: SiteURL.table(table.id, .meeting).path, label: req.text("meeting_heading")), at: 0)
            }
            return PlanExtras(progress: [], timeline: [], links: links + [report(.situationTableAnnual, table.id, req)])
        case let table as PartnerTable:
            return PlanExtras(progress: [], timeline: [], links: [report(.workingGroupUpdate, table.id, req)])
        default:
            return nil
        }
    }

    /// The reports page's form, set for this kind of report about this record.
    static func report(_ kind: ReportKind, _ subject: UUID, _ req: Request) -> Link {
        Link(
            href: SiteURL.newReport(kind: kind.rawValue, subject: subject).path,
            label: "\(req.text("report_new")): \(req.text(kind.titleKey))")
    }

    static func rows(_ root: WellplanCore.Progress, _ req: Request) -> [ProgressRow] {
        root.flattened().map { depth, p in
            ProgressRow(
                depth: depth, kind: p.kind.map { req.text($0.labelKey) } ?? "", title: p.title,
                href: p.kind.flatMap { k in p.id.map { SiteURL.record(k, $0).path } },
                percent: p.fraction.map { WellplanCore.Progress.percent($0, req.language) } ?? "—",
                formula: p.formula, weight: WellplanCore.Progress.number(p.weight, req.language))
        }
    }
}
