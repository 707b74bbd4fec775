import Fluent
import Vapor
import WellplanCore

/// The demo region, built from the seed documents: Windsor-Essex's Enforcement and Justice working
/// group and Guiding Recommendation EIGHT, and Halton's seven action tables as a second plan.
/// Every person in it is fictional.
enum DemoRegion {
    struct Options: Sendable {
        var databasePath = "wellplan-demo.sqlite"
        var address = "http://127.0.0.1:8080"

        init(arguments: [String]) {
            func value(_ names: [String]) -> String? {
                guard let i = arguments.firstIndex(where: names.contains), i + 1 < arguments.count else { return nil }
                return arguments[i + 1]
            }
            address = "http://\(value(["--hostname", "-H"]) ?? "127.0.0.1"):\(value(["--port", "-p"]) ?? "8080")"
        }
    }
    struct Key: StorageKey { typealias Value = Options }

    static let accounts: [(email: String, name: String, role: Role, password: String)] = [
        ("admin@wellplan.demo", "Avery Admin", .admin, "demo-admin-password"),
        ("coordinator@wellplan.demo", "Casey Coordinator", .coordinator, "demo-coordinator-password"),
        ("member@wellplan.demo", "Morgan Member", .member, "demo-member-password"),
    ]

    static func load(into app: Application, _ options: Options) async throws {
        let writer = RecordWriter(db: app.db, author: Author(userId: nil, label: "demo loader", clock: app.clock))
        let ids = try await loadWindsorEssex(writer)
        try await loadHalton(writer)
        var users: [Role: UUID] = [:]
        for account in accounts {
            let hash = try await app.password.async.hash(account.password)
            users[account.role] =
                try await Accounts(db: app.db.sql, clock: app.clock).create(
                    email: account.email, name: account.name, role: account.role, passwordHash: hash,
                    personId: account.role == .member ? ids.memberPerson : nil
                ).id
        }
        try await loadConsultationAnalysis(
            app, writer, plan: ids.plan, coders: [users[.coordinator]!, users[.member]!])
        try await loadIndicators(app, writer, plan: ids.plan)
        _ = try await PlanVersions.publish(ids.plan, note: "Adopted by council", on: app.db, writer.author)
        let table = try await loadSituationTable(
            writer, plan: ids.plan, orgs: ids.orgs, people: ids.people, app.settings)
        try await loadReports(app, writer, plan: ids.plan, workingGroup: ids.workingGroup)
        print(
            """

            Wellplan demo: \(options.address)
            Sign in as (email / password):
            \(accounts.map { "  \($0.role.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) \($0.email) / \($0.password)" }.joined(separator: "\n"))
            The public page is \(options.address)/public
            The situation table's meeting view (sign in as the member) is \(options.address)/tables/\(table)/meeting

            """)
    }

    static func day(_ text: String) -> Day { Day(text)! }

    static func loadWindsorEssex(_ w: RecordWriter) async throws -> (
        plan: UUID, memberPerson: UUID, orgs: [Organization], people: [Person], workingGroup: UUID
    ) {
        let plan = Plan(
            titleEn: "Windsor-Essex Community Safety and Well-Being Plan",
            titleFr: "Plan de sécurité et de bien-être communautaires de Windsor-Essex",
            municipality: "Windsor-Essex (demo)", termStart: day("2025-11-01"), termEnd: day("2029-10-31"),
            adoptedOn: day("2025-10-27"), publishedOn: day("2025-11-14"), status: "published",
            summaryEn: "A regional plan carried by police, health, education, social-service and community partners.",
            summaryFr:
                "Un plan régional porté par les partenaires de la police, de la santé, de l'éducation, des services sociaux et communautaires."
        )
        try await w.create(plan)
        let orgs = [
            Organization(nameEn: "Windsor Police Service", nameFr: "Service de police de Windsor", sector: "police"),
            Organization(
                nameEn: "Windsor-Essex County Health Unit", nameFr: "Bureau de santé de Windsor-comté d'Essex",
                sector: "health"),
            Organization(nameEn: "Greater Essex County District School Board", sector: "education"),
            Organization(nameEn: "Family Services Windsor-Essex", sector: "community_services"),
            Organization(nameEn: "Windsor-Essex Children's Aid Society", sector: "child_welfare"),
            Organization(nameEn: "City of Windsor", nameFr: "Ville de Windsor", sector: "municipality"),
            Organization(
                nameEn: "Canadian Mental Health Association Windsor-Essex", sector: "mental_health_addictions"),
            Organization(nameEn: "Ontario Provincial Police, Essex County", sector: "police"),
        ]
        for o in orgs { try await w.create(o) }
        let names = [
            "Alex Morin", "Priya Desai", "Jordan Lee", "Sam Gagnon", "Taylor Nguyen", "Chris Okafor", "Robin Baptiste",
            "Jamie Clarke",
        ]
        let people = zip(names, orgs).map { Person(name: $0, jobTitle: nil, organizationId: $1.id) }
        for p in people { try await w.create(p) }

        let advisory = PartnerTable(
            nameEn: "CSWB Advisory Committee", nameFr: "Comité consultatif SBEC", kind: .advisoryCommittee,
            planId: plan.id, absentSeats: ["custodial_youth"])
        let leadership = PartnerTable(nameEn: "WECOSS Leadership Committee", kind: .leadershipCouncil, planId: plan.id)
        let justice = PartnerTable(
            nameEn: "WECOSS Enforcement and Justice Working Group",
            nameFr: "Groupe de travail Application de la loi et justice de la WECOSS",
            kind: .workingGroup, planId: plan.id,
            purposeEn: "Build public safety–public health partnerships for a safer and healthier community.")
        for t in [advisory, leadership, justice] { try await w.create(t) }
        let seats: [(Int, TagSet, String)] = [
            (1, ["health"], "member"), (2, ["education"], "member"), (3, ["community_social"], "member"),
            (4, ["children_youth_services"], "member"), (5, ["municipality"], "chair"), (0, ["police"], "member"),
        ]
        for (i, seat, role) in seats {
            try await w.create(
                Membership(
                    tableId: advisory.id, personId: people[i].id, organizationId: orgs[i].id, role: role,
                    seats: seat, startsOn: day("2025-01-15")))
        }
        for (i, role) in [(0, "chair"), (6, "co_chair"), (1, "member"), (7, "member"), (5, "secretariat")] {
            try await w.create(
                Membership(
                    tableId: justice.id, personId: people[i].id, organizationId: orgs[i].id, role: role,
                    startsOn: day("2025-02-01")))
        }
        try await w.create(
            Membership(tableId: leadership.id, personId: people[5].id, organizationId: orgs[5].id, role: "chair"))

        let substance = PriorityRiskArea(
            planId: plan.id, number: 1, titleEn: "Substance use and addictions",
            titleFr: "Consommation de substances et dépendances",
            planningAreas: ["prevention", "risk_intervention"],
            riskFactors: ["drugs.use_by_person", "alcohol.abuse_by_person", "mental_health.suspected"])
        let neighbourhoods = PriorityRiskArea(
            planId: plan.id, number: 2, titleEn: "Neighbourhood safety", titleFr: "Sécurité des quartiers",
            planningAreas: ["social_development", "prevention"],
            riskFactors: ["social_environment.negative_neighbourhood"])
        for p in [substance, neighbourhoods] { try await w.create(p) }
        let eight = GuidingRecommendation(
            planId: plan.id, priorityId: substance.id, number: "EIGHT",
            statementEn:
                "Redefine the role for enforcement agencies and other first responders to build “public safety-public health” partnerships for a safer and healthier community.",
            statementFr:
                "Redéfinir le rôle des organismes d'application de la loi et des autres premiers intervenants afin de bâtir des partenariats « sécurité publique-santé publique » pour une communauté plus sûre et plus saine."
        )
        try await w.create(eight)
        let cptedGoal = Goal(
            recommendationId: eight.id,
            statementEn:
                "To strengthen community safety by taking a coordinated approach with neighbourhood groups, police, municipal and peer leaders and other community stakeholders, to address substance-related crime and associated issues."
        )
        let resourceGoal = Goal(
            recommendationId: eight.id,
            statementEn:
                "To raise the profile of local enforcement agencies as a “community resource” by increasing public awareness of the community outreach role of law enforcement."
        )
        for g in [cptedGoal, resourceGoal] { try await w.create(g) }

        // Guiding Recommendation EIGHT: 20 CPTED audits, 201 recommendations, 27 implemented, 19 special events.
        let cpted = Project(
            planId: plan.id, recommendationId: eight.id, goalId: cptedGoal.id, leadTableId: justice.id,
            titleEn: "Strengthening Community Safety Through Partnership",
            purposeEn:
                "Four police–community partnerships use Crime Prevention Through Environmental Design (CPTED) to understand how the built environment influences community safety.",
            keyActivitiesEn:
                "Collect neighbourhood crime statistics; conduct CPTED audits; implement recommendations (alley lighting, traffic calming, bush trimming); CPTED brochure.",
            status: .planned)
        try await w.create(cpted)
        var active = cpted
        active.status = .active
        try await w.update(active, before: cpted)
        let audits: [(String, String, [ActivityCount: Int])] = [
            (
                "2025-03-12", "CPTED audits in the first partnership neighbourhood",
                [.auditsCompleted: 6, .recommendationsMade: 58, .recommendationsImplemented: 9, .specialEvents: 5]
            ),
            (
                "2025-05-20", "CPTED audits in the second partnership neighbourhood",
                [.auditsCompleted: 5, .recommendationsMade: 51, .recommendationsImplemented: 8, .specialEvents: 6]
            ),
            (
                "2025-07-09", "CPTED audits in the third partnership neighbourhood",
                [.auditsCompleted: 5, .recommendationsMade: 47, .recommendationsImplemented: 6, .specialEvents: 4]
            ),
            (
                "2025-09-17", "CPTED audits in the fourth partnership neighbourhood",
                [.auditsCompleted: 4, .recommendationsMade: 45, .recommendationsImplemented: 4, .specialEvents: 4]
            ),
        ]
        for (date, summary, counts) in audits {
            try await w.create(Activity(projectId: cpted.id, occurredOn: day(date), summaryEn: summary, counts: counts))
        }
        for (statement, count, target) in [
            ("CPTED audits done", ActivityCount.auditsCompleted, 24.0),
            ("Recommendations implemented", .recommendationsImplemented, 201),
            ("Special events within the partnerships", .specialEvents, 20),
        ] {
            try await w.create(Output(projectId: cpted.id, statementEn: statement, computedFrom: count, target: target))
        }
        try await w.create(
            Output(projectId: cpted.id, statementEn: "CPTED recommendations made", computedFrom: .recommendationsMade))
        for step in [
            "Pre and post CPTED audit statistics will be examined to assess the effectiveness of implemented environmental changes.",
            "Officers to remain at the neighbourhood level and continue to engage with the Safety Committees and BIAs.",
        ] {
            try await w.create(
                ActionItem(
                    projectId: cpted.id, descriptionEn: step, ownerOrganizationId: orgs[0].id, dueOn: day("2026-06-30"))
            )
        }

        let resources = Project(
            planId: plan.id, recommendationId: eight.id, goalId: resourceGoal.id, leadTableId: justice.id,
            titleEn: "Enforcement Agencies as Community Resources",
            purposeEn:
                "Promote diversion programming and the Good Samaritan Drug Overdose Act; give frontline officers resource materials.",
            status: .active)
        try await w.create(resources)
        try await w.create(
            Activity(
                projectId: resources.id, occurredOn: day("2025-06-01"),
                summaryEn:
                    "Treatment options pamphlet and Drug Treatment Court brochure given to all local enforcement agencies.",
                counts: [.materialsDistributed: 400]))
        for step in [
            "Forge new connections in each community to continue the work of community safety audits.",
            "Investigate how this project meets the development of the mandated CSWB plan.",
        ] {
            try await w.create(ActionItem(projectId: resources.id, descriptionEn: step, dueOn: day("2026-03-31")))
        }

        // Seed 000: the working group's 2025 project update.
        let safety = Project(
            planId: plan.id, recommendationId: eight.id, leadTableId: justice.id,
            titleEn: "Strengthening Community Safety and Wellbeing",
            titleFr: "Renforcer la sécurité et le bien-être communautaires",
            purposeEn: "Sustain and expand the neighbourhood safety planning process initiated by the SSNAPP team.",
            keyActivitiesEn:
                "Attend community events to educate residents about the existing neighbourhood safety plans; consult in Leamington and Essex; create safety plans for Leamington and Essex.",
            status: .active)
        try await w.create(safety)
        let log: [(String, String?, String, [ActivityCount: Int])] = [
            (
                "2025-10-01", nil,
                "Four focus groups with first responders and service providers in Leamington and Essex (23 participants).",
                [.peopleReached: 23]
            ),
            (
                "2025-10-06", "2025-10-31", "Community safety plan survey (100 respondents, most from Leamington).",
                [.peopleReached: 100]
            ),
        ]
        for (date, end, summary, counts) in log {
            try await w.create(
                Activity(
                    projectId: safety.id, occurredOn: day(date), endedOn: end.map(day), summaryEn: summary,
                    counts: counts))
        }
        // Seed 000: three community events from October 9 to November 13, 82 safety plans distributed in all
        // (the seed gives the total; its split among the events is the demo's), and the workshop for 28.
        var handedOut: [(Event, Int)] = []
        for (date, title, plans) in [
            ("2025-10-09", "Harvest festival information table", 31), ("2025-10-25", "Neighbourhood resource fair", 27),
            ("2025-11-13", "Community safety evening", 24),
        ] {
            let event = Event(
                kind: "community_event", titleEn: title, occurredOn: day(date), place: "Windsor",
                audienceGroups: ["general_public"],
                tableId: justice.id, projectId: safety.id)
            try await w.create(event)
            try await w.create(EventMaterial(eventId: event.id, materialType: "safety_plan", count: plans))
            handedOut.append((event, plans))
        }
        try await loadSafetyPlans(w, plan: plan.id, project: safety.id, handedOut: handedOut)
        try await loadSafetyPlanFeedback(w, events: handedOut.map(\.0))
        // Seed 000: "Addictions and Mental Health webinar scheduled for December 16th for first responders and service providers."
        try await w.create(
            Event(
                kind: "webinar", titleEn: "Addictions and Mental Health webinar",
                titleFr: "Webinaire sur les dépendances et la santé mentale",
                occurredOn: day("2025-12-16"), startTime: "13:00", endTime: "14:30", online: true,
                audienceGroups: ["first_responders", "service_providers"],
                tableId: justice.id, projectId: safety.id))
        let workshop = Event(
            kind: "workshop", titleEn: "Trauma-Informed Care workshop",
            titleFr: "Atelier sur les soins tenant compte des traumatismes",
            occurredOn: day("2025-11-04"), startTime: "09:00", endTime: "12:00", place: "Essex County",
            audienceGroups: ["first_responders", "service_providers"], tableId: justice.id, projectId: safety.id,
            registrations: 30, attendance: 28, participantsTrained: 28)
        try await w.create(workshop)
        // Seed 001's shape: the consultation that built the plan heard every group the Act names.
        let development = Consultation(
            planId: plan.id, titleEn: "Plan development consultation",
            titleFr: "Consultation sur l'élaboration du plan",
            purposeEn: "Identify strengths, issues, needs and priority risks before council adopts the plan.",
            startsOn: day("2025-03-01"),
            endsOn: day("2025-06-30"))
        try await w.create(development)
        for (method, sessions, participants, groups) in [
            ("key_informant_interview", 13, 13, ["advisory_committee", "community_organizations"]),
            ("focus_group", 4, 38, ["youth", "racialized_groups", "first_nations", "metis", "inuit", "seniors"]),
            ("focus_group", 3, 15, ["mental_health_addictions_service_users"]),
            ("survey", 1, 212, ["general_public", "community_organizations"]),
        ] as [(String, Int, Int, TagSet)] {
            try await w.create(
                ConsultationMethod(
                    consultationId: development.id, method: method, sessions: sessions, participants: participants,
                    audienceGroups: groups))
        }
        try await loadWECOSSConsultation(w, plan: plan.id, substance: substance.id)
        // Seed 000: the consultation behind the Leamington and Essex safety plans.
        let consultation = Consultation(
            planId: plan.id, titleEn: "Leamington and Essex safety plan consultation",
            titleFr: "Consultation sur les plans de sécurité de Leamington et d'Essex",
            purposeEn:
                "Hear residents, first responders and service providers before writing the Leamington and Essex safety plans.",
            startsOn: day("2025-10-01"), endsOn: day("2025-10-31"))
        try await w.create(consultation)
        try await w.create(
            ConsultationMethod(
                consultationId: consultation.id, method: "survey", participants: 100,
                audienceGroups: ["general_public"], heldOn: day("2025-10-06")))
        try await w.create(
            ConsultationMethod(
                consultationId: consultation.id, method: "focus_group", sessions: 4, participants: 23,
                audienceGroups: ["first_responders", "service_providers"], heldOn: day("2025-10-01")))
        try await w.create(EventAttendance(eventId: workshop.id, audienceGroup: "first_responders", count: 17))
        try await w.create(EventAttendance(eventId: workshop.id, audienceGroup: "service_providers", count: 11))
        try await loadWorkshopFeedback(w, workshop: workshop.id)
        try await w.create(
            Output(
                projectId: safety.id, statementEn: "Safety plans distributed",
                statementFr: "Plans de sécurité distribués",
                computedFrom: .materialsDistributed, target: 150))
        try await w.create(
            Output(
                projectId: safety.id, statementEn: "First responders and service providers trained",
                computedFrom: .participantsTrained, target: 150))
        try await w.create(
            Output(
                projectId: safety.id, level: "immediate_outcome",
                statementEn: "Participants who felt more confident supporting safety related to substance use",
                enteredValue: 100, target: 90, unit: "%"))
        let steps: [(ActionItemKind, String, ActionItemStatus)] = [
            (.nextStep, "Finalize and distribute Leamington and Essex safety plans.", .inProgress),
            (.nextStep, "Create an evaluation to measure the effectiveness of the safety plans.", .open),
            (.nextStep, "Continue to attend community events to educate residents about existing safety plans.", .open),
            (.nextStep, "Host five additional workshops for first responders and service providers.", .open),
            (.actionItem, "Promote Leamington and Essex safety plans once created.", .open),
            (.actionItem, "Continue promoting and distributing existing safety plans.", .done),
            (.actionItem, "Watch for future workshops for first responders and service providers.", .open),
        ]
        for (kind, text, status) in steps {
            let item = ActionItem(
                projectId: safety.id, kind: kind, descriptionEn: text, dueOn: day("2026-03-31"), status: .open)
            try await w.create(item)
            if status != .open {
                var changed = item
                changed.status = status
                try await w.update(changed, before: item)
            }
        }
        try await w.create(
            ProjectPartner(projectId: safety.id, organizationId: orgs[1].id, contribution: "Survey and focus groups"))
        try await w.create(
            ProjectPartner(projectId: safety.id, organizationId: orgs[6].id, contribution: "Workshop facilitation"))
        return (plan.id, people[6].id, orgs, people, justice.id)
    }

    static func loadHalton(_ w: RecordWriter) async throws {
        let plan = Plan(
            titleEn: "Community Safety and Well-Being in Halton",
            titleFr: "Sécurité et bien-être communautaires à Halton",
            municipality: "Halton Region (demo)", termStart: day("2023-01-01"), termEnd: day("2026-12-31"),
            adoptedOn: day("2022-12-14"), status: "adopted")
        try await w.create(plan)
        let tables: [(String, String)] = [
            (
                "Enhanced access to mental health services for children and youth",
                "Coordinated access and system navigation"
            ),
            ("Homelessness supports", "Implementation of a coordinated access model"),
            ("Police response to sexual assault", "Officer training and recommendations to the police service board"),
            (
                "Support for youth exiting care",
                "Pilot to connect youth exiting care to education, training and employment"
            ),
            ("Addressing alcohol consumption", "Resources for local decision making and a community alcohol report"),
            (
                "Proactive response to older adult isolation",
                "System navigation and community mobilization and awareness"
            ),
            ("Dual diagnosis among youth", "Towards a Halton framework"),
        ]
        for (number, (title, project)) in tables.enumerated() {
            let table = PartnerTable(
                nameEn: "Action table \(number + 1): \(title)", kind: .actionTable, planId: plan.id)
            try await w.create(table)
            try await w.create(Project(planId: plan.id, leadTableId: table.id, titleEn: project, status: .active))
        }
    }
}
