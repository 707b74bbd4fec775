import SQLKit
import Vapor
import WellplanCore

/// The plan's own pages beyond its record: compliance, versions and their comparison,
/// and the public face that shows only published versions.
struct PlanPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(use: home)
        routes.get("plans", ":id", "compliance", use: compliance)
        routes.get("plans", ":id", "versions", use: versions)
        routes.post("plans", ":id", "versions", use: publish)
        routes.get("plans", ":id", "versions", "compare", use: compare)
        routes.get("public", use: publicIndex)
        routes.get("public", "plans", ":id", use: publicPlan)
    }

    struct Home: Encodable {
        struct PlanItem: Encodable {
            let href: String
            let title: String
            let municipality: String
            let percent: String
        }
        let plans: [PlanItem]
        let signedIn: Bool
    }

    @Sendable func home(req: Request) async throws -> Response {
        let actor = try await req.actor()
        var items: [Home.PlanItem] = []
        if actor.isSignedIn {
            let store = Records(db: req.sql)
            for plan in try await store.list(Plan.self) {
                let progress = try await PlanSnapshots.snapshot(plan.id, store)?.progress(req.language)
                items.append(
                    .init(
                        href: SiteURL.record(.plan, plan.id).path, title: plan.title(req.language),
                        municipality: plan.municipality,
                        percent: progress?.fraction.map { WellplanCore.Progress.percent($0, req.language) } ?? "—"))
            }
        }
        return try await req.page("home", title: req.text("app_name"), Home(plans: items, signedIn: actor.isSignedIn))
    }

    struct CompliancePage: Encodable {
        struct Seat: Encodable {
            let label: String
            let state: String
            let stateLabel: String
            let members: String
        }
        struct Date: Encodable {
            let label: String
            let due: String
            let detail: String
            let state: String
            let stateLabel: String
        }
        let planTitle: String
        let planHref: String
        let compliant: Bool
        /// Until the plan is published: by when, and where to publish it.
        let publishNotice: String?
        let dates: [Date]
        let seats: [Seat]
        let hasAdvisoryCommittee: Bool
        let groups: [Seat]
    }

    @Sendable func compliance(req: Request) async throws -> Response {
        try await req.authorize(.read, .compliance)
        let plan = try await req.record(Plan.self)
        let report = try await ComplianceReports.report(
            plan, Records(db: req.sql), on: req.clock.today, language: req.language)
        let dates = [report.publishBy, report.reviewDue].map { d in
            CompliancePage.Date(
                label: req.text("deadline_\(d.name)"), due: d.due?.description ?? "—",
                detail: d.metOn.map { req.text("deadline_met_on") + " " + $0.description }
                    ?? d.daysRemaining.map {
                        $0 >= 0 ? "\($0) " + req.text("days_remaining") : "\(-$0) " + req.text("days_overdue")
                    }
                    ?? req.text("deadline_unknown_detail"),
                state: d.state.rawValue, stateLabel: req.text("deadline_state_\(d.state.rawValue)"))
        }
        let seats = report.seats.map { s in
            CompliancePage.Seat(
                label: CodeList.advisorySeats.label(s.seat.rawValue, req.language), state: s.state.rawValue,
                stateLabel: req.text("seat_state_\(s.state.rawValue)"), members: s.members.joined(separator: ", "))
        }
        let content = CompliancePage(
            planTitle: plan.title(req.language), planHref: SiteURL.record(.plan, plan.id).path,
            compliant: report.isCompliant,
            publishNotice: report.publishBy.metOn == nil
                ? report.publishBy.due.map {
                    req.text("compliance_publish_notice", ReportWriting(req.language).day($0))
                } : nil,
            dates: dates, seats: seats, hasAdvisoryCommittee: report.hasAdvisoryCommittee,
            groups: report.consultationGroups.map { g in
                CompliancePage.Seat(
                    label: CodeList.audienceGroups.label(g.group, req.language),
                    state: g.isCovered ? "covered" : "missing",
                    stateLabel: req.text(g.isCovered ? "group_heard" : "group_not_heard"),
                    members: g.heardIn.joined(separator: "; "))
            })
        return try await req.page("compliance", title: req.text("compliance_title"), content)
    }

    struct VersionsPage: Encodable {
        struct Item: Encodable {
            let number: Int
            let publishedAt: String
            let publishedBy: String
            let note: String
        }
        let planTitle: String
        let planHref: String
        let publicHref: String
        let versions: [Item]
        let canPublish: Bool
        let compare: [ChangeRow]?
        let compareHeading: String?
    }

    struct ChangeRow: Encodable {
        let kind: String
        let title: String
        let change: String
        let fields: String
    }

    @Sendable func versions(req: Request) async throws -> Response {
        try await req.authorize(.read, .planVersions)
        return try await versionsPage(req, compare: nil, heading: nil)
    }

    @Sendable func publish(req: Request) async throws -> Response {
        try await req.authorize(.create, .planVersions)
        let plan = try await req.record(Plan.self)
        let note = try? req.content.get(String.self, at: "note")
        _ = try await PlanVersions.publish(plan.id, note: note, on: req.db, req.author)
        return req.redirect(to: SiteURL.plan(plan.id, .versions).path, redirectType: .normal)
    }

    @Sendable func compare(req: Request) async throws -> Response {
        try await req.authorize(.read, .planVersions)
        let plan = try await req.record(Plan.self)
        guard let from = req.query[Int.self, at: "from"], let to = req.query[Int.self, at: "to"],
            let a = try await PlanVersions.find(plan.id, number: from, on: req.sql),
            let b = try await PlanVersions.find(plan.id, number: to, on: req.sql)
        else { throw WellplanError.invalid([FieldProblem("from", "error_choose_two_versions")]) }
        let changes = PlanSnapshot.changes(from: try a.frozen, to: try b.frozen, language: req.language)
        let rows = changes.map { c in
            ChangeRow(
                kind: req.text(c.kind.labelKey), title: c.title, change: req.text("change_\(c.change.rawValue)"),
                fields: c.fields.map { "\(req.text("field_\($0.name)")): «\($0.before)» → «\($0.after)»" }.joined(
                    separator: "; "))
        }
        return try await versionsPage(req, compare: rows, heading: "\(req.text("versions_compare")) \(from) → \(to)")
    }

    private func versionsPage(_ req: Request, compare: [ChangeRow]?, heading: String?) async throws -> Response {
        let plan = try await req.record(Plan.self)
        let versions = try await PlanVersions.all(plan.id, on: req.sql)
        let content = VersionsPage(
            planTitle: plan.title(req.language), planHref: SiteURL.record(.plan, plan.id).path,
            publicHref: SiteURL.publicPlan(plan.id).path,
            versions: versions.map {
                .init(
                    number: $0.number, publishedAt: String($0.publishedAt.description.prefix(10)),
                    publishedBy: $0.publishedBy, note: $0.note ?? "")
            },
            canPublish: AccessPolicy.permits(try await req.actor(), .create, .planVersions), compare: compare,
            compareHeading: heading)
        _ = req.csrfToken
        return try await req.page("versions", title: req.text("versions_title"), content)
    }

    struct PublicIndex: Encodable {
        struct Item: Encodable {
            let href: String
            let title: String
            let municipality: String
            let version: Int
            let publishedAt: String
        }
        let plans: [Item]
        let consultations: [PlanExtras.Link]
    }

    @Sendable func publicIndex(req: Request) async throws -> Response {
        let items = try await PlanVersions.latestOfEachPlan(on: req.sql).map { v in
            let s = try v.frozen
            return PublicIndex.Item(
                href: SiteURL.publicPlan(v.planId).path, title: s.plan.title(req.language),
                municipality: s.plan.municipality,
                version: v.number, publishedAt: String(v.publishedAt.description.prefix(10)))
        }
        // Consultations with a published theme have a "You said, we did" page.
        let published = try await req.sql.select().column("consultation_id").distinct().from("themes").where(
            "published", .equal, SQLBind(true)
        ).all()
            .map { try $0.decode(column: "consultation_id", as: UUID.self) }
        let store = Records(db: req.sql)
        let consultations = try await published.asyncFlatMap { id in
            try await store.find(Consultation.self, id).map {
                [PlanExtras.Link(href: SiteURL.publicConsultation($0.id).path, label: $0.title(req.language))]
            } ?? []
        }
        return try await req.page(
            "public", title: req.text("nav_public"), PublicIndex(plans: items, consultations: consultations))
    }

    struct PublicPlan: Encodable {
        struct Priority: Encodable {
            let title: String
            // Optional, not empty: Leaf's #if reads any text, even "", as true.
            let description: String?
            let areas: String?
            let recommendations: [Recommendation]
        }
        struct Recommendation: Encodable {
            let number: String
            let statement: String
            let projects: [ProjectItem]
        }
        struct ProjectItem: Encodable {
            let title: String
            let purpose: String?
            let outputs: [String]
        }
        let title: String
        let municipality: String
        let summary: String
        let term: String
        let adoptedOn: String
        let version: Int
        let publishedAt: String
        let priorities: [Priority]
        let progress: [PlanExtras.ProgressRow]
        /// Each situation table's published statistics (live, through the disclosure policy).
        let situationTables: [PlanExtras.Link]
    }

    @Sendable func publicPlan(req: Request) async throws -> Response {
        try await req.authorize(.read, .publishedPlan)
        guard let id = req.parameters.get("id", as: UUID.self),
            let version = try await PlanVersions.all(id, on: req.sql).first
        else { throw WellplanError.notFound("plan") }
        let s = try version.frozen
        let lang = req.language
        func text(_ en: String?, _ fr: String?) -> String { (lang == .fr ? fr ?? en : en) ?? "" }
        func project(_ p: Project) -> PublicPlan.ProjectItem {
            .init(
                title: text(p.titleEn, p.titleFr), purpose: text(p.purposeEn, p.purposeFr).nilIfEmpty,
                outputs: s.outputs.filter { $0.projectId == p.id }.map { o in
                    let value = s.outputValues[o.id.uuidString].map { WellplanCore.Progress.number($0, lang) } ?? "—"
                    let target = o.target.map { " / " + WellplanCore.Progress.number($0, lang) } ?? ""
                    return "\(text(o.statementEn, o.statementFr)): \(value)\(target)"
                })
        }
        func recommendation(_ r: GuidingRecommendation) -> PublicPlan.Recommendation {
            .init(
                number: r.number, statement: text(r.statementEn, r.statementFr),
                projects: s.projects.filter { $0.recommendationId == r.id }.map(project))
        }
        let priorities = s.priorities.map { a in
            PublicPlan.Priority(
                title: "\(a.number). \(text(a.titleEn, a.titleFr))",
                description: text(a.descriptionEn, a.descriptionFr).nilIfEmpty,
                areas: (a.planningAreas?.codes ?? []).map { CodeList.planningAreas.label($0, lang) }.joined(
                    separator: ", "
                ).nilIfEmpty,
                recommendations: s.recommendations.filter { $0.priorityId == a.id }.map(recommendation))
        }
        let loose = s.recommendations.filter { $0.priorityId == nil }
        let all =
            priorities
            + (loose.isEmpty
                ? []
                : [
                    .init(
                        title: req.text("recommendations_other"), description: nil, areas: nil,
                        recommendations: loose.map(recommendation))
                ])
        let content = PublicPlan(
            title: s.plan.title(lang), municipality: s.plan.municipality,
            summary: text(s.plan.summaryEn, s.plan.summaryFr),
            term: "\(s.plan.termStart) – \(s.plan.termEnd)", adoptedOn: s.plan.adoptedOn?.description ?? "—",
            version: version.number, publishedAt: String(version.publishedAt.description.prefix(10)),
            priorities: all,
            progress: PlanExtras.rows(s.progress(lang), req).map {
                .init(
                    depth: $0.depth, kind: $0.kind, title: $0.title, href: nil, percent: $0.percent,
                    formula: $0.formula, weight: $0.weight)
            },
            situationTables: try await Records(db: req.sql).list(PartnerTable.self, filters: ["planId": id])
                .filter { $0.kind == .situationTable && $0.sharesStatistics(with: .publicRelease) }
                .map { .init(href: SiteURL.publicStatistics(table: $0.id).path, label: $0.title(lang)) })
        return try await req.page("public-plan", title: content.title, content)
    }
}
