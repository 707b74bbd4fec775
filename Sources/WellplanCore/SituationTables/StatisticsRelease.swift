import Foundation

/// What a situation table's statistics show beyond its own members: calendar quarters and years, each
/// once a month has passed since it ended. Never the running period, which would change as each new
/// discussion is entered and show its profile to whoever looks before and after; never a period anyone
/// chooses, since two overlapping periods differ by the discussions between their ends.
///
/// A year is the sum of its quarters, so it is protected with the quarters settled as they came out: an
/// intruder holding every release can narrow no withheld count below the minimum. Partners also see
/// what the public sees, so their release keeps everything the public one shows.
public enum StatisticsRelease {
    /// Whether `period` is out by `today`.
    public static func isOut(_ period: Period, today: Day) -> Bool {
        period.end.adding(months: 1) <= today
    }

    /// Reads a period that can be released: "2025" or "2025-Q2" (nil for months and runs of days).
    public static func period(_ text: String) -> Period? {
        Period(text).flatMap { $0.frequency == .year || $0.frequency == .quarter ? $0 : nil }
    }

    /// The latest period out by `today`: the last quarter a month after its end.
    public static func latest(today: Day) -> Period {
        // The quarter before the one that was running a month ago.
        let running = Period.quarter(containing: today.adding(months: -1))
        return .quarter(containing: running.start.adding(days: -1))
    }

    /// What one audience sees of a period: each situation table's statistics and, for a plan, all of them together.
    public struct Released: Sendable {
        public let tables: [DiscussionStatistics]
        public let plan: DiscussionStatistics?
    }

    /// The statistics of `period` as released to each audience, for each situation table and, when
    /// `withPlan`, for all of them together; `quarters[t][q]` holds table t's tallies for quarter q of the
    /// period's year.
    ///
    /// Every release of the year is worked out in the order they come out (each table's quarter, the
    /// plan's quarter, each table's year, the plan's year), each protected with all before it settled and
    /// tied to them, so a release is the same whichever of them someone asks for. The public's releases
    /// come first; the partners', who also see the public's, keep what the public sees wherever that leaves
    /// their own smaller counts protected, and the public loses what they could not keep (a year shown
    /// whole less three quarters shown to partners is the fourth).
    public static func statistics(
        _ period: Period, quarters: [[DiscussionTallies]], withPlan: Bool, policy: DisclosurePolicy
    ) -> [Audience: Released] {
        precondition(
            quarters.allSatisfy { $0.count == 4 } && (period.frequency == .year || period.frequency == .quarter))
        let last = period.frequency == .year ? 4 : (period.start.month - 1) / 3
        let forPublic = family(last, quarters, withPlan, policy, .publicRelease, preferred: nil)
        let forPartners = family(last, quarters, withPlan, policy, .partners, preferred: forPublic)
        let suffix = last == 4 ? "year" : String(last)
        let keys = quarters.indices.map { "\($0)/\(suffix)" } + (withPlan ? ["plan/\(suffix)"] : [])
        func released(_ statistics: (String) -> DiscussionStatistics) -> Released {
            let all = keys.map(statistics)
            return Released(tables: Array(all.prefix(quarters.count)), plan: withPlan ? all.last : nil)
        }
        return [
            .partners: released { forPartners[$0]! },
            .publicRelease: released { forPublic[$0]!.withholding(forPartners[$0]!) },
        ]
    }

    /// The statistics of `period` as released to `audience` (see above).
    public static func statistics(
        _ period: Period, quarters: [[DiscussionTallies]], withPlan: Bool, policy: DisclosurePolicy, audience: Audience
    ) -> Released {
        statistics(period, quarters: quarters, withPlan: withPlan, policy: policy)[audience]!
    }

    /// For each of `n` situation tables, the groups of insiders who know its discussions: its members (group
    /// t) and, from three tables, those at every table but one (group n + g: all but g). One person or agency
    /// may sit at several tables, and whoever sits at all but g learns g's counts from the plan's; protected
    /// from them, g's counts are protected from whoever sits at fewer (they know less).
    static func insiders(tables n: Int) -> [[Int]] {
        (0..<n).map { t in [t] + (n < 3 ? [] : (0..<n).filter { $0 != t }.map { n + $0 }) }
    }

    /// Every release of a year up to quarter `last` (4: the year too), by "table/quarter" ("0/2", "plan/year").
    private static func family(
        _ last: Int, _ quarters: [[DiscussionTallies]], _ withPlan: Bool, _ policy: DisclosurePolicy,
        _ audience: Audience, preferred: [String: DiscussionStatistics]?
    ) -> [String: DiscussionStatistics] {
        var releases: [DiscussionStatistics.Release] = []
        var sums: [(total: Int, parts: [Int])] = []
        var index: [String: Int] = [:]
        // A table's members are partners who know its discussions, so the partners' releases are also
        // protected from them (from the plan's less their own table's, say). The public's minimum is larger,
        // but its releases show members nothing the partners' do not.
        let groups = insiders(tables: quarters.count)
        func release(_ key: String, _ tallies: DiscussionTallies, partitions: [[String]], table: Int? = nil) {
            let parts = partitions.map { $0.map { index[$0]! } }
            let insiders = audience == .partners ? table.map { groups[$0] } ?? [] : []
            let statistics = DiscussionStatistics(
                tallies, policy: policy, audience: audience, earlier: releases, sums: sums, partitions: parts,
                preferred: preferred?[key], insiders: insiders)
            index[key] = releases.count
            for p in parts { sums.append((releases.count, p)) }
            releases.append(.init(tallies: tallies, statistics: statistics, insiders: insiders))
        }
        let tables = quarters.indices, seasons = 0..<4
        for q in seasons where q <= last {
            for t in tables { release("\(t)/\(q)", quarters[t][q], partitions: [], table: t) }
            if withPlan {
                let sum = tables.reduce(DiscussionTallies()) { $0 + quarters[$1][q] }
                release("plan/\(q)", sum, partitions: [tables.map { "\($0)/\(q)" }])
            }
        }
        if last == 4 {
            for t in tables {
                let sum = quarters[t].reduce(DiscussionTallies(), +)
                release("\(t)/year", sum, partitions: [seasons.map { "\(t)/\($0)" }], table: t)
            }
            if withPlan {
                let sum = quarters.joined().reduce(DiscussionTallies(), +)
                release("plan/year", sum, partitions: [tables.map { "\($0)/year" }, seasons.map { "plan/\($0)" }])
            }
        }
        return index.mapValues { releases[$0].statistics }
    }
}
