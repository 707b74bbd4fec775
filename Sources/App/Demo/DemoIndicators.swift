import Vapor
import WellplanCore

extension DemoRegion {
    /// The Windsor-Essex plan's measures: the Community Well-Being index of its municipalities (the real 2021
    /// figures), and demo series (not real data, and labelled so) for a survey indicator, a rate calculated
    /// from a count and a population, and a situation-table performance measure whose small cells the public
    /// dashboard withholds.
    static func loadIndicators(_ app: Application, _ w: RecordWriter, plan: UUID) async throws {
        let store = Records(db: app.db.sql)
        let priorities = try await store.list(PriorityRiskArea.self, filters: ["planId": plan])
        let substance = priorities.first { $0.number == 1 }?.id,
            neighbourhoods = priorities.first { $0.number == 2 }?.id
        let demo = "Demo figures for trying Wellplan; not real data."
        let observations = Observations(db: app.db, author: w.author)

        var cwb = Measure(
            planId: plan, code: "cwb_2021", nameEn: "Community Well-Being index",
            nameFr: "Indice du bien-être des collectivités",
            resultEn: "Every community in the region thrives", unit: .index, decimals: 0,
            priorityIds: neighbourhoods.map { [$0] }, published: true)
        cwb.resultFr = "Chaque collectivité de la région s'épanouit"
        cwb.dataSource = "Indigenous Services Canada, Community Well-Being index, 2021"
        cwb.licence = "Open Government Licence – Canada"
        cwb.definitionEn =
            "Education, labour force activity, income and housing of a census subdivision, from 0 to 100."
        try await w.create(cwb)
        // Census subdivisions of Essex County, from CWB_2021_isc_v1.csv.
        let municipalities: [(String, Double)] = [
            ("3537003", 76), ("3537013", 81), ("3537016", 81), ("3537028", 83), ("3537034", 85), ("3537039", 78),
            ("3537048", 84), ("3537064", 84),
        ]
        try await observations.save(
            municipalities.map { Observation(period: .year(2021), areaCode: $0.0, value: $0.1) }, of: cwb)

        var safe = Measure(
            planId: plan, code: "feel_safe", nameEn: "Residents who feel safe walking alone after dark",
            nameFr: "Résidents qui se sentent en sécurité en marchant seuls le soir",
            resultEn: "Residents feel safe in their neighbourhoods",
            unit: .percent, priorityIds: neighbourhoods.map { [$0] }, published: true)
        safe.definitionEn = demo
        safe.dataSource = "Regional resident survey"
        safe.collectionMethod = "Online and paper survey"
        safe.responsibility = "CSWB coordinator"
        try await w.create(safe)
        try await observations.save(
            [(2022, 61.5), (2023, 63.0), (2024, 62.1), (2025, 66.4)].map {
                Observation(period: .year($0.0), value: $0.1)
            }, of: safe)
        for (year, target) in [(2025, 65.0), (2026, 70.0)] {
            try await w.create(
                MeasureTarget(
                    measureId: safe.id, period: String(year), target: target, forecast: year == 2026 ? 66 : nil))
        }

        var visits = Measure(
            planId: plan, code: "opioid_ed_visits", nameEn: "Opioid-related emergency department visits",
            polarity: .lowerIsBetter)
        visits.resultEn = "Fewer people are harmed by substance use"
        visits.definitionEn = demo
        visits.dataSource = "Hospital records (demo)"
        var population = Measure(planId: plan, code: "population", nameEn: "Population", polarity: .neutral)
        population.resultEn = "Every community in the region thrives"
        population.definitionEn = demo
        for m in [visits, population] { try await w.create(m) }
        try await observations.save(
            [(2021, 412.0), (2022, 455), (2023, 431), (2024, 398), (2025, 371)].map {
                Observation(period: .year($0.0), value: $0.1)
            }, of: visits)
        try await observations.save(
            [(2021, 422_860.0), (2022, 428_600), (2023, 436_000), (2024, 441_200), (2025, 446_900)].map {
                Observation(period: .year($0.0), value: $0.1)
            },
            of: population)
        var rate = Measure(
            planId: plan, code: "opioid_ed_rate", nameEn: "Opioid-related emergency department visits per 100,000",
            nameFr: "Visites à l'urgence liées aux opioïdes pour 100 000",
            resultEn: "Fewer people are harmed by substance use", polarity: .lowerIsBetter,
            unit: .ratePer100000, calculation: .ratePer100000, inputIds: [visits.id, population.id],
            priorityIds: substance.map { [$0] },
            published: true)
        rate.definitionEn = demo
        try await w.create(rate)
        try await w.create(MeasureTarget(measureId: rate.id, period: "2025", target: 85))

        var connected = Measure(
            planId: plan, code: "situation_connected", nameEn: "People connected to services by the situation table",
            nameFr: "Personnes mises en lien avec des services par la table de situation",
            measureType: .performanceMeasure, quadrant: "how_much",
            countsPeople: true, dimensions: ["gender"], priorityIds: substance.map { [$0] }, published: true)
        connected.definitionEn = demo
        try await w.create(connected)
        var figures: [Observation] = []
        for (year, total, women, men, other) in [
            (2023, 38.0, 17.0, 19.0, 2.0), (2024, 44, 20, 21, 3), (2025, 51, 23, 25, 3),
        ] {
            figures += [
                Observation(period: .year(year), value: total),
                Observation(period: .year(year), breakdown: Breakdown(["gender": "woman"]), value: women),
                Observation(period: .year(year), breakdown: Breakdown(["gender": "man"]), value: men),
                Observation(period: .year(year), breakdown: Breakdown(["gender": "another_gender"]), value: other),
            ]
        }
        try await observations.save(figures, of: connected)
    }
}
