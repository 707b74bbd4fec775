import Foundation

/// What the database counts about a set of discussions; nothing here names a discussion.
public struct DiscussionTallies: Sendable, Hashable, Codable {
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

    /// The tallies of two sets of discussions together (three months make a quarter).
    public static func + (a: DiscussionTallies, b: DiscussionTallies) -> DiscussionTallies {
        func add<K>(_ x: [K: Int], _ y: [K: Int]) -> [K: Int] { x.merging(y, uniquingKeysWith: +) }
        var sum = DiscussionTallies()
        sum.byMonth = add(a.byMonth, b.byMonth)
        sum.byStatus = add(a.byStatus, b.byStatus)
        sum.byAgeAndGender = a.byAgeAndGender.merging(b.byAgeAndGender) { add($0, $1) }
        sum.byType = add(a.byType, b.byType)
        sum.riskFactorSets = add(a.riskFactorSets, b.riskFactorSets)
        sum.originatingSectors = add(a.originatingSectors, b.originatingSectors)
        sum.leadSectors = add(a.leadSectors, b.leadSectors)
        sum.assistingSectors = add(a.assistingSectors, b.assistingSectors)
        sum.conclusionReasons = add(a.conclusionReasons, b.conclusionReasons)
        sum.mobilizationDays = add(a.mobilizationDays, b.mobilizationDays)
        return sum
    }
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

    /// Statistics for one set of discussions on their own: what a table's own members see for any period.
    public init(_ tallies: DiscussionTallies, policy: DisclosurePolicy, audience: Audience) {
        self.init(
            tallies, policy: policy, audience: audience, earlier: [], sums: [], partitions: [], preferred: nil,
            insiders: [])
    }

    /// One release among others it adds up with: a table's quarter, a plan's year.
    struct Release {
        let tallies: DiscussionTallies
        let statistics: DiscussionStatistics
        /// Who knows these discussions without the release: the groups holding the situation table's members.
        let insiders: [Int]
    }

    /// Statistics protected together with the `earlier` releases as they were shown (settled, so nothing
    /// shown before is taken back and nothing withheld is given away): `sums` says which earlier releases
    /// add up to which (by index), `partitions` which of them add up to this one; `preferred` is this
    /// release as the public would see it, kept shown where that leaves every count protected; `insiders`
    /// the groups who know these discussions (they know their part of every sum holding them too).
    init(
        _ tallies: DiscussionTallies, policy: DisclosurePolicy, audience: Audience, earlier: [Release],
        sums: [(total: Int, parts: [Int])],
        partitions: [[Int]], preferred: DiscussionStatistics?, insiders: [Int]
    ) {
        let minimum = policy.minimum(for: audience)
        self.audience = audience
        self.minimum = minimum
        var linked = LinkedFigures()
        /// Places a release's count and tables among the figures, each table's total tied to the count;
        /// returns every figure by its key ("discussions", "section|row|column"), the tables and their placements.
        func place(
            _ tallies: DiscussionTallies, count: LinkedFigures.Settled, cost: Double? = nil, insiders: [Int],
            _ table: (Int) -> (settled: PublishedTable?, preferred: PublishedTable?)
        ) -> (keyed: [String: Int], tables: [(String, String?, String?, CountTable)], placements: [TablePlacement]) {
            let count = linked.add(Double(tallies.total), settled: count, cost: cost, insiders: insiders)
            let tables = Self.tables(tallies)
            var keyed = ["discussions": count], placements: [TablePlacement] = []
            for (n, (key, _, _, counts)) in tables.enumerated() {
                let placement = linked.add(
                    counts, settled: table(n).settled, preferred: table(n).preferred, insiders: insiders)
                linked.tie(total: count, parts: placement.grandTotal.map { [$0] } ?? [])
                for (figure, index) in placement.keyed(counts) { keyed[key + "|" + figure] = index }
                placements.append(placement)
            }
            return (keyed, tables, placements)
        }
        // Every figure of every earlier release, as it was shown.
        let keyed = earlier.map { release in
            let shown = release.statistics.discussions != nil
            return place(release.tallies, count: shown ? .shown : .withheld, insiders: release.insiders) {
                (release.statistics.sections[$0].table, nil)
            }.keyed
        }
        for (total, parts) in sums {
            for (key, index) in keyed[total] { linked.tie(total: index, parts: parts.compactMap { keyed[$0][key] }) }
        }
        let total = tallies.total
        let kept = preferred?.discussions != nil ? LinkedFigures.preferredCost : 0
        let cost = Double(10 * total + 1) + kept
        let (current, tables, placements) = place(tallies, count: .no, cost: cost, insiders: insiders) {
            (nil, preferred?.sections[$0].table)
        }
        let count = current["discussions"]!
        // A figure absent from a part is a zero there (rows list only what occurs), so the part adds nothing.
        for partition in partitions {
            for (key, index) in current { linked.tie(total: index, parts: partition.compactMap { keyed[$0][key] }) }
        }
        let withheld = linked.withheld(minimum: Double(minimum))
        sections = zip(tables, placements).map { section, placement in
            let (key, rowList, columnList, table) = section
            return Section(
                key: key, rowList: rowList, columnList: columnList,
                table: PublishedTable(table, placement, withheld: withheld, minimum: minimum))
        }
        discussions = withheld[count] ? nil : total
        let decided = tallies.byStatus.filter { $0.key != DiscussionStatus.presented.rawValue }.values.reduce(0, +)
        let met = tallies.byStatus.filter { DiscussionStatus(rawValue: $0.key)?.metThreshold ?? false }.values.reduce(
            0, +)
        aerShare =
            decided == 0 || Self.statusesWithheld(sections)
            ? nil : policy.figure(Double(met) / Double(decided), n: decided, for: audience)
        let mobilization = MobilizationTime(
            days: tallies.mobilizationDays.flatMap { Array(repeating: $0.key, count: $0.value) })
        mobilized = policy.figure(mobilization.count, n: mobilization.count, for: audience)
        medianMobilizationDays = mobilization.medianDays.flatMap {
            policy.figure($0, n: mobilization.count, for: audience)
        }
        mobilizedWithin48Hours = mobilization.withinResponseTime.flatMap {
            policy.figure($0, n: mobilization.count, for: audience)
        }
    }

    /// This release with every figure `other` withholds withheld too: what the public keeps of a release
    /// once partners, who see both, have had theirs protected (`other` is the same tallies for partners).
    func withholding(_ other: DiscussionStatistics) -> DiscussionStatistics {
        let sections = zip(sections, other.sections).map { mine, theirs in
            precondition(mine.key == theirs.key)
            let table = mine.table.withholding(theirs.table)
            return Section(
                key: mine.key, rowList: mine.rowList, columnList: mine.columnList,
                table: Self.ranked.contains(mine.key) ? table.shownFirst() : table)
        }
        return DiscussionStatistics(
            audience: audience, minimum: minimum, discussions: other.discussions == nil ? nil : discussions,
            aerShare: Self.statusesWithheld(sections) ? nil : aerShare,
            medianMobilizationDays: other.medianMobilizationDays == nil ? nil : medianMobilizationDays,
            mobilizedWithin48Hours: other.mobilizedWithin48Hours == nil ? nil : mobilizedWithin48Hours,
            mobilized: other.mobilized == nil ? nil : mobilized, sections: sections)
    }

    private init(
        audience: Audience, minimum: Int, discussions: Int?, aerShare: Double?, medianMobilizationDays: Double?,
        mobilizedWithin48Hours: Double?, mobilized: Int?, sections: [Section]
    ) {
        self.audience = audience
        self.minimum = minimum
        self.discussions = discussions
        self.aerShare = aerShare
        self.medianMobilizationDays = medianMobilizationDays
        self.mobilizedWithin48Hours = mobilizedWithin48Hours
        self.mobilized = mobilized
        self.sections = sections
    }

    /// Whether any status count is withheld: a share worked out from the statuses could give it away.
    private static func statusesWithheld(_ sections: [Section]) -> Bool {
        let statuses = sections.first { $0.key == "stat_by_status" }?.table
        return (statuses?.withheldCount ?? 0) > 0
    }

    /// The sections whose rows are ordered by their counts.
    static let ranked = Set(tables(DiscussionTallies()).filter { $0.3.isRanked }.map(\.0))

    /// The fixed tables of a set of tallies, before anything is withheld: catalogue key, the code lists
    /// that label rows and columns, and the counts.
    static func tables(_ tallies: DiscussionTallies) -> [(String, String?, String?, CountTable)] {
        func list(_ counts: [String: Int], order: [String]? = nil, hasTotals: Bool = true) -> CountTable {
            let keys = order.map { $0.filter { counts[$0, default: 0] > 0 } } ?? counts.keys.sorted()
            return CountTable(list: keys.map { ($0, counts[$0, default: 0]) }, hasTotals: hasTotals)
        }
        func ranked(_ counts: [String: Int], limit: Int? = nil) -> CountTable {
            let top = counts.filter { $0.value > 0 }.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(
                limit ?? .max)
            return CountTable(list: top.map { ($0.key, $0.value) }, hasTotals: false, isRanked: true)
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
        let ageGender = CountTable(
            rows: ages, columns: genders, counts: ages.map { a in genders.map { tallies.byAgeAndGender[a]?[$0] ?? 0 } })
        let reasons = tallies.conclusionReasons
        return [
            ("stat_by_month", nil, nil, list(tallies.byMonth)),
            (
                "stat_by_status", "discussion_statuses", nil,
                list(tallies.byStatus, order: CodeList.discussionStatuses.codes)
            ),
            ("stat_age_gender", "age_bands", "genders", ageGender),
            ("stat_by_type", "discussion_types", nil, list(tallies.byType, order: CodeList.discussionTypes.codes)),
            ("stat_risk_categories", "risk_factors", nil, ranked(categories)),
            ("stat_top_risk_factors", "risk_factors", nil, ranked(factors, limit: 10)),
            (
                "stat_originating_sectors", "sectors", nil,
                list(tallies.originatingSectors, order: CodeList.sectors.codes)
            ),
            ("stat_lead_sectors", "sectors", nil, list(tallies.leadSectors, order: CodeList.sectors.codes)),
            (
                "stat_assisting_sectors", "sectors", nil,
                list(tallies.assistingSectors, order: CodeList.sectors.codes, hasTotals: false)
            ),
            ("stat_conclusions", "conclusion_reasons", nil, list(reasons, order: CodeList.conclusionReasons.codes)),
        ]
    }
}
