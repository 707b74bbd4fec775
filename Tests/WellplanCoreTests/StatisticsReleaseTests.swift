import Foundation
import Testing

@testable import WellplanCore

/// A year of situation-table statistics as each audience receives it, attacked by someone who holds every
/// release they may see: the public sees each table's quarters and year and the plan's; a partner sees those
/// and the partners' own releases too. Whatever the tallies, no withheld count under the audience's minimum
/// may be narrowed below it. On the old code a partner worked out a table's withheld fourth quarter as the
/// public's year less the three quarters partners were shown; a member of one table of two, who knows
/// their own table's discussions, worked out the other's withheld counts as the plan's less their own; and
/// of three tables, someone at two of them worked out the third's.
@Suite struct StatisticsReleaseTests {
    let policy = DisclosurePolicy(publicMinimum: 10, partnerMinimum: 5)

    @Test(arguments: [(1, 20261207), (2, 7), (3, 1207)] as [(Int, UInt64)])
    func noWithheldCountIsNarrowedByAnyoneHoldingEveryReleaseTheyMaySee(tables: Int, seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let quarters = (0..<tables).map { _ in (0..<4).map { Self.quarter($0, &generator) } }
        // Each quarter's releases and the year's, as readers ask for them: period by period.
        let periods = (1...4).map { Period.quarter(2025, $0) } + [.year(2025)]
        let releases = periods.map {
            StatisticsRelease.statistics($0, quarters: quarters, withPlan: true, policy: policy)
        }
        for (intruder, sees) in [(Audience.publicRelease, [Audience.publicRelease]), (.partners, Audience.allCases)] {
            let minimum = Double(policy.minimum(for: intruder))
            let attack = Attack(quarters, releases: releases, sees: sees)
            let narrow = attack.narrowest(minimum: minimum)
            #expect(narrow.isEmpty, "\(intruder): \(narrow.prefix(5))")
            #expect(attack.smallWithheld(minimum: minimum) > 0, "the tallies hold small counts to attack")
        }
        // A member of situation tables is a partner who knows every figure of their tables: of one, or of
        // several (a person or an agency at each), short of all of them.
        let attack = Attack(quarters, releases: releases, sees: Audience.allCases)
        let sittings = (1..<(1 << tables) - 1).map { set in Set(quarters.indices.filter { set & (1 << $0) != 0 }) }
        for tables in sittings {
            let narrow = attack.narrowest(minimum: Double(policy.partnerMinimum), member: tables)
            #expect(narrow.isEmpty, "a member of tables \(tables.sorted()): \(narrow.prefix(5))")
        }
        let released = releases[4]
        // And partners keep what the public sees.
        for (p, q) in zip(
            released[.partners]!.tables + [released[.partners]!.plan!],
            released[.publicRelease]!.tables + [released[.publicRelease]!.plan!])
        {
            for (mine, theirs) in zip(p.sections, q.sections) {
                let shown = Dictionary(mine.table.rows.enumerated().map { ($1, mine.table.cells[$0]) }) { a, _ in a }
                for (i, row) in theirs.table.rows.enumerated() {
                    for (j, cell) in theirs.table.cells[i].enumerated() where cell != nil {
                        #expect(shown[row]?[j] == cell, "\(mine.key) \(row)")
                    }
                }
            }
        }
    }

    /// A quarter's discussions, drawn at random: few enough that many counts are small.
    static func quarter(_ q: Int, _ generator: inout SeededGenerator) -> DiscussionTallies {
        var tallies = DiscussionTallies()
        func any(_ codes: [String], _ n: Int) -> String {
            codes[Int.random(in: 0..<min(n, codes.count), using: &generator)]
        }
        for _ in 0..<Int.random(in: 10...25, using: &generator) {
            let month = String(format: "2025-%02d", 3 * q + Int.random(in: 1...3, using: &generator))
            tallies.byMonth[month, default: 0] += 1
            tallies.byStatus[any(CodeList.discussionStatuses.codes, 4), default: 0] += 1
            tallies.byAgeAndGender[any(CodeList.ageBands.codes, 4), default: [:]][
                any(CodeList.genders.codes, 2), default: 0] += 1
            tallies.byType[any(CodeList.discussionTypes.codes, 3), default: 0] += 1
            tallies.originatingSectors[any(CodeList.sectors.codes, 5), default: 0] += 1
        }
        return tallies
    }
}

/// The intruder's linear program over every figure of every release of a year that `sees` receive: each
/// table's four quarters and year and the plan's, asked for period by period as a reader asks, a figure
/// known when any of them shows it, and the sums tying them (a year is its quarters, a plan its tables).
struct Attack {
    var linked = LinkedFigures()
    var keyed: [String: Int] = [:]

    /// `released[q]`: what each audience receives of quarter q + 1, and at 4 of the year.
    init(
        _ quarters: [[DiscussionTallies]], releases released: [[Audience: StatisticsRelease.Released]], sees: [Audience]
    ) {
        var releases: [String: (tallies: DiscussionTallies, views: [DiscussionStatistics])] = [:]
        for (q, release) in released.enumerated() {
            let when = q == 4 ? "year" : String(q)
            let tallies = quarters.map { q == 4 ? $0.reduce(DiscussionTallies(), +) : $0[q] }
            for audience in sees {
                for t in quarters.indices {
                    releases["\(t)/\(when)", default: (tallies[t], [])].views.append(release[audience]!.tables[t])
                }
                let plan = tallies.reduce(DiscussionTallies(), +)
                releases["plan/\(when)", default: (plan, [])].views.append(release[audience]!.plan!)
            }
        }
        for (name, release) in releases.sorted(by: { $0.key < $1.key }) { place(name, release.tallies, release.views) }
        for key in keyed.keys {
            let (release, figure) = key.split(separator: "#", maxSplits: 1).map(String.init).pair
            let (who, when) = release.split(separator: "/").map(String.init).pair
            if when == "year" { tie(key, (0..<4).map { "\(who)/\($0)#\(figure)" }) }
            if who == "plan" { tie(key, quarters.indices.map { "\($0)/\(when)#\(figure)" }) }
        }
    }

    /// A figure absent from a part is a zero there: the part's rows list only what occurs.
    mutating func tie(_ total: String, _ parts: [String]) {
        let present = parts.compactMap { keyed[$0] }
        linked.tie(total: keyed[total]!, parts: present)
    }

    /// A release's tables as the intruder knows them: a figure is known when any view shows it.
    mutating func place(_ name: String, _ tallies: DiscussionTallies, _ views: [DiscussionStatistics]) {
        let count = linked.add(
            Double(tallies.total), settled: views.contains { $0.discussions != nil } ? .shown : .withheld)
        keyed["\(name)#discussions"] = count
        for (n, (key, _, _, table)) in DiscussionStatistics.tables(tallies).enumerated() {
            let known = Self.merged(views.map { $0.sections[n].table }, like: table)
            let placement = linked.add(table, settled: known)
            linked.tie(total: count, parts: placement.grandTotal.map { [$0] } ?? [])
            for (figure, index) in placement.keyed(table) { keyed["\(name)#\(key)|\(figure)"] = index }
        }
    }

    /// The first view's table with every figure another view shows filled in.
    static func merged(_ views: [PublishedTable], like table: CountTable) -> PublishedTable {
        let all = views.map { $0.ordered(like: table)! }
        func pick(_ figure: (PublishedTable) -> Int?) -> Int? { all.lazy.compactMap(figure).first }
        let first = all[0]
        return PublishedTable(
            rows: first.rows, columns: first.columns,
            cells: first.cells.indices.map { i in first.columns.indices.map { j in pick { $0.cells[i][j] } } },
            rowTotals: first.rowTotals.map { r in r.indices.map { i in pick { $0.rowTotals![i] } } },
            columnTotals: first.columnTotals.map { c in c.indices.map { j in pick { $0.columnTotals![j] } } },
            grandTotal: pick { $0.grandTotal }, hasTotals: first.hasTotals, minimum: first.minimum)
    }

    var hidden: [Bool] { linked.figures.map { $0.settled == .withheld } }

    func smallWithheld(minimum: Double) -> Int {
        let hidden = hidden
        return linked.figures.indices.filter { hidden[$0] && linked.isSmall($0, minimum: minimum) }.count
    }

    /// Every withheld count under the minimum that the intruder narrows below it, with its interval. A
    /// `member` of tables also knows each of their figures and so their part of each of the plan's: what
    /// they must not narrow is the rest of a count, when that is under the minimum.
    func narrowest(minimum: Double, member tables: Set<Int> = []) -> [(String, Double, Double, Double)] {
        let name = Dictionary(keyed.map { ($1, $0) }) { a, _ in a }
        func known(_ k: Int) -> Double {
            guard let key = name[k] else { return 0 }
            let (release, figure) = key.split(separator: "#", maxSplits: 1).map(String.init).pair
            let (who, when) = release.split(separator: "/").map(String.init).pair
            if let table = Int(who) { return tables.contains(table) ? linked.figures[k].value : 0 }
            return tables.reduce(0.0) { sum, table in
                sum + (keyed["\(table)/\(when)#\(figure)"].map { linked.figures[$0].value } ?? 0)
            }
        }
        let unknown = linked.figures.indices.map { hidden[$0] && linked.figures[$0].value - known($0) > 1e-9 }
        // One program for each linked set of unknowns, solved whole, asked about each of its counts.
        var audit = LinkedFigures.Audit(linked, unknown, limit: .max)
        return linked.figures.indices.filter { unknown[$0] && linked.isSmall($0, minimum: minimum) }.compactMap { k in
            let (lower, upper) = audit.interval(of: k)
            guard upper - lower < minimum - 1e-6 else { return nil }
            return (name[k] ?? "\(k)", linked.figures[k].value - known(k), lower, upper)
        }
    }
}

extension Array {
    /// The first two elements, of a split known to give two.
    fileprivate var pair: (Element, Element) { (self[0], self[1]) }
}
