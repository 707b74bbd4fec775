import Foundation

/// What the database counts about a set of discussions; nothing here names a discussion.
public struct DiscussionTallies: Sendable, Equatable {
    public var byMonth: [String: Int] = [:]
    public var byStatus: [String: Int] = [:]
    /// age band → gender → discussions
    public var byAgeAndGender: [String: [String: Int]] = [:]
    public var byType: [String: Int] = [:]
    /// Each distinct set of risk factors, with how many discussions hold exactly that set.
    public var riskFactorSets: [TagSet: Int] = [:]
    public var originatingSectors: [String: Int] = [:]
    public var leadSectors: [String: Int] = [:]
    /// sector → discussions with at least one assisting agency of that sector
    public var assistingSectors: [String: Int] = [:]
    public var conclusionReasons: [String: Int] = [:]
    /// days from acceptance to first contact → discussions
    public var mobilizationDays: [Int: Int] = [:]

    public init() {}

    public var total: Int { byStatus.values.reduce(0, +) }
}

/// The fixed tables a situation table, the plan and the public see, each already through the
/// `DisclosurePolicy` for its audience. The public can choose nothing but the table and the year.
public struct DiscussionStatistics: Sendable, Codable, Equatable {
    public struct Section: Sendable, Codable, Equatable {
        /// Catalogue key of the section's title.
        public let key: String
        /// The code lists that label rows and columns (nil: rows are months or day counts).
        public let rowList: String?
        public let columnList: String?
        public let table: PublishedTable
    }

    public let audience: Audience
    public let minimum: Int
    public let discussions: Int?
    /// Share of decided discussions (accepted, rejected, returned) that met the AER threshold.
    public let aerShare: Double?
    public let medianMobilizationDays: Double?
    public let mobilizedWithin48Hours: Double?
    public let mobilized: Int?
    public let sections: [Section]

    public init(_ tallies: DiscussionTallies, policy: DisclosurePolicy, audience: Audience) {
        self.audience = audience
        minimum = policy.minimum(for: audience)
        let total = tallies.total
        discussions = policy.figure(total, n: total, for: audience)
        let decided = tallies.byStatus.filter { $0.key != DiscussionStatus.presented.rawValue }.values.reduce(0, +)
        let met = tallies.byStatus.filter { DiscussionStatus(rawValue: $0.key)?.metThreshold ?? false }.values.reduce(0, +)
        aerShare = decided == 0 ? nil : policy.figure(Double(met) / Double(decided), n: decided, for: audience)
        let mobilization = MobilizationTime(days: tallies.mobilizationDays.flatMap { Array(repeating: $0.key, count: $0.value) })
        mobilized = policy.figure(mobilization.count, n: mobilization.count, for: audience)
        medianMobilizationDays = mobilization.medianDays.flatMap { policy.figure($0, n: mobilization.count, for: audience) }
        mobilizedWithin48Hours = mobilization.withinResponseTime.flatMap { policy.figure($0, n: mobilization.count, for: audience) }

        func list(_ counts: [String: Int], order: [String]? = nil, hasTotals: Bool = true) -> CountTable {
            let keys = order.map { $0.filter { counts[$0, default: 0] > 0 } } ?? counts.keys.sorted()
            return CountTable(list: keys.map { ($0, counts[$0, default: 0]) }, hasTotals: hasTotals)
        }
        func ranked(_ counts: [String: Int], limit: Int? = nil) -> CountTable {
            let top = counts.filter { $0.value > 0 }.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(limit ?? .max)
            return CountTable(list: top.map { ($0.key, $0.value) }, hasTotals: false)
        }
        var categories: [String: Int] = [:], factors: [String: Int] = [:]
        for (set, n) in tallies.riskFactorSets {
            var inCategories = Set<String>()
            for code in set.codes {
                let entry = CodeList.riskFactors.entry(code)
                inCategories.insert(entry?.group ?? code)
                if entry?.group != nil { factors[code, default: 0] += n }
            }
            for category in inCategories { categories[category, default: 0] += n }
        }
        let ages = CodeList.ageBands.codes.filter { tallies.byAgeAndGender[$0] != nil }
        let genders = CodeList.genders.codes.filter { g in tallies.byAgeAndGender.values.contains { $0[g] != nil } }
        let ageGender = CountTable(rows: ages, columns: genders, counts: ages.map { a in genders.map { tallies.byAgeAndGender[a]?[$0] ?? 0 } })
        let reasons = tallies.conclusionReasons
        let sections: [(String, String?, String?, CountTable)] = [
            ("stat_by_month", nil, nil, list(tallies.byMonth)),
            ("stat_by_status", "discussion_statuses", nil, list(tallies.byStatus, order: CodeList.discussionStatuses.codes)),
            ("stat_age_gender", "age_bands", "genders", ageGender),
            ("stat_by_type", "discussion_types", nil, list(tallies.byType, order: CodeList.discussionTypes.codes)),
            ("stat_risk_categories", "risk_factors", nil, ranked(categories)),
            ("stat_top_risk_factors", "risk_factors", nil, ranked(factors, limit: 10)),
            ("stat_originating_sectors", "sectors", nil, list(tallies.originatingSectors, order: CodeList.sectors.codes)),
            ("stat_lead_sectors", "sectors", nil, list(tallies.leadSectors, order: CodeList.sectors.codes)),
            ("stat_assisting_sectors", "sectors", nil, list(tallies.assistingSectors, order: CodeList.sectors.codes, hasTotals: false)),
            ("stat_conclusions", "conclusion_reasons", nil, list(reasons, order: CodeList.conclusionReasons.codes)),
        ]
        self.sections = sections.map { key, rowList, columnList, table in
            Section(key: key, rowList: rowList, columnList: columnList, table: policy.publish(table, for: audience))
        }
    }
}
