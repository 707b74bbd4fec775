import Foundation
import WellplanCore

extension DemoRegion {
    /// A synthetic year of the demo region's situation table: about 180 discussions, with shares close to
    /// those the RTD and the Saskatchewan Hubs report (mostly persons; 96 % meeting the threshold; youth
    /// and adults; mental health, antisocial behaviour, negative peers and substances most frequent).
    /// No discussion describes a real person; a few open ones hold fictional identifiers in their compartment.
    static func loadSituationTable(
        _ writer: RecordWriter, plan: UUID, orgs: [Organization], people: [Person], _ settings: Settings
    ) async throws
        -> UUID
    {
        // One transaction for the whole year: a thousand small commits would each wait for the disk.
        try await writer.db.writeTransaction { tx in
            try await loadSituationTable(
                RecordWriter(db: tx, author: writer.author), plan: plan, orgs: orgs, people: people,
                settings.compartmentCipher)
        }
    }

    private static func loadSituationTable(
        _ w: RecordWriter, plan: UUID, orgs: [Organization], people: [Person], _ cipher: CompartmentCipher?
    )
        async throws -> UUID
    {
        let table = PartnerTable(
            nameEn: "Windsor-Essex Situation Table", nameFr: "Table de situation de Windsor-Essex",
            kind: .situationTable,
            planId: plan,
            purposeEn:
                "Agencies meet twice a week to connect people at acutely elevated risk to services within 24 to 48 hours.",
            statisticsShared: .public)
        try await w.create(table)
        // Everyone from the region's agencies sits at the table, each for their own agency.
        for (person, org) in zip(people, orgs) {
            try await w.create(
                Membership(
                    tableId: table.id, personId: person.id, organizationId: org.id, role: "member",
                    startsOn: day("2025-01-01")))
        }
        var random = DemoRandom(seed: 2026)
        func pick<T>(_ weighted: [(T, Int)]) -> T {
            var n = random.next(upTo: weighted.map(\.1).reduce(0, +))
            for (value, weight) in weighted {
                if n < weight { return value }
                n -= weight
            }
            return weighted[0].0
        }
        let factorWeights: [(String, Int)] = [
            ("mental_health.suspected", 30), ("antisocial.person_exhibiting", 24), ("negative_peers.associating", 18),
            ("alcohol.use_by_person", 16),
            ("drugs.use_by_person", 16), ("emotional_violence.victim", 10), ("emotional_violence.perpetrator", 8),
            ("antisocial.within_home", 9),
            ("basic_needs.unable_own", 9), ("housing.transient_homeless", 11), ("criminal_involvement.assault", 7),
            ("missing_school.truancy", 9),
            ("physical_violence.victim", 6), ("self_harm.engaging", 5), ("suicide.current_risk", 4),
            ("parenting.conflict", 6),
            ("poverty.inadequate_finances", 7), ("cognitive.suspected", 4), ("elder_abuse.victim", 2),
            ("gambling.chronic_by_person", 1),
        ]
        let narratives = [
            "Escalating behaviour at home and in the community; several police contacts in the past month.",
            "Suspected mental health problem, not connected to services; family worried about safety.",
            "Youth missing school, associating with negative peers, using substances.",
            "Housing about to be lost; basic needs not met; previous supports ended.",
            "Repeated calls to a dwelling; concerns for the children living there.",
            "Older adult living alone with signs of self-neglect and financial exploitation.",
        ]
        // The demo's history runs up to the day it is loaded.
        let today = w.author.clock.today
        let start = today.adding(days: -365)
        let presentedDays = (0..<182).map { _ in start.adding(days: random.next(upTo: 365)) }.sorted()
        for (index, presented) in presentedDays.enumerated() {
            let type = pick([("person", 65), ("family", 30), ("dwelling", 3), ("neighbourhood", 2)])
            let family = type != "person"
            let age =
                family
                ? "multiple"
                : pick([
                    ("6-11", 3), ("12-15", 14), ("16-17", 14), ("18-24", 16), ("25-29", 10), ("30-39", 17),
                    ("40-59", 19), ("60+", 7),
                ])
            let gender = family ? "multiple" : pick([("female", 46), ("male", 51), ("gender_diverse", 3)])
            let factorCount = 2 + random.next(upTo: 4)
            var factors: [String] = []
            while factors.count < factorCount {
                let f = pick(factorWeights); if !factors.contains(f) { factors.append(f) }
            }
            var d = SituationDiscussion(
                tableId: table.id, number: index + 1, presentedOn: presented, discussionType: type, ageBand: age,
                gender: gender,
                originatingSector: pick([
                    ("police", 45), ("mental_health_addictions", 12), ("education", 12), ("child_welfare", 8),
                    ("health", 8),
                    ("community_services", 8), ("municipality", 4), ("housing_shelters", 3),
                ]),
                area: pick([
                    ("Downtown", 4), ("West end", 3), ("East end", 3), ("County, north", 2), ("County, south", 2),
                ]),
                summary: narratives[random.next(upTo: narratives.count)], riskFactors: TagSet(factors),
                protectiveFactors: random.next(upTo: 3) == 0 ? ["adult_relationship"] : nil,
                affectedPersons: family ? ["children"] : nil)
            try await w.create(d)
            func move(_ event: DiscussionEvent) async throws {
                let next = try DiscussionLifecycle.apply(event, to: d)
                try await w.update(next, before: d)
                d = next
            }
            let age_ = presented.days(until: today)
            if age_ < 4 { continue }  // still to be decided at the next meeting
            switch pick([("accept", 96), ("reject", 3), ("return", 1)]) {
            case "reject": try await move(.reject); continue
            case "return": try await move(.returnToAgency); continue
            default: try await move(.accept(on: presented))
            }
            let lead = orgs[random.next(upTo: orgs.count)]
            let assisting = (0..<(1 + random.next(upTo: 3))).map { _ in orgs[random.next(upTo: orgs.count)].id }
            try await move(
                .planIntervention(lead: lead.id, assisting: assisting, firstContactPlannedOn: presented.adding(days: 1))
            )
            let contactDay = presented.adding(days: pick([(0, 10), (1, 45), (2, 25), (3, 12), (5, 8)]))
            guard contactDay < today else { continue }
            try await move(.recordFirstContact(on: contactDay))
            if age_ < 30 {
                // A few open interventions hold fictional identifiers, for the compartment demonstration.
                if let cipher, index % 3 == 0 {
                    try await Compartments(db: w.db, cipher: cipher).write(
                        LimitedIdentifiers(
                            name: "Demo Person \(index + 1)", dateOfBirth: nil,
                            address: "Fictional address \(index + 1)",
                            contactNotes: "Fictional notes for the demonstration."),
                        for: d, reason: "demo data loaded", w.author)
                }
                continue
            }
            let outcome = pick([("risk_lowered", 72), ("still_aer", 28)])
            let reasons = CodeList.conclusionReasons.entries.filter { $0.group == outcome }.map(\.code)
            try await move(
                .conclude(
                    outcome: outcome, reason: reasons[random.next(upTo: reasons.count)],
                    on: contactDay.adding(days: 7 + random.next(upTo: 21))))
        }
        return table.id
    }
}

/// A small seeded generator, so the demo is the same every time.
struct DemoRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next(upTo bound: Int) -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int((state >> 33) % UInt64(max(1, bound)))
    }
}
