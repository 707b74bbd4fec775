import Foundation
import Testing

@testable import WellplanCore

/// The disclosure policy across everything published together, by the intruder's own reasoning:
/// each withheld small count's protection interval (`LinkedFigures.interval`) must be at least as wide
/// as the minimum. `Tests/e2e/test_attacker.py` checks the same with an independent solver (HiGHS)
/// over what the real routes publish.
@Suite struct LinkedDisclosureTests {
    let policy = DisclosurePolicy(publicMinimum: 10, partnerMinimum: 5)
    let measure = Measure(planId: UUID(), code: "visits", nameEn: "Visits", resultEn: "Supported", countsPeople: true)

    /// The narrowest interval an intruder reaches for any withheld count under the minimum, rebuilt from
    /// the figures as shown.
    func narrowest(_ observations: [Observation], _ shown: [ShownFigure], minimum: Double) -> Double {
        var linked = LinkedFigures()
        let figures = observations.map { linked.add($0.value ?? $0.numerator ?? 0) }
        for (total, parts) in DisclosurePolicy.sums(observations) {
            linked.tie(total: figures[total], parts: parts.map { figures[$0] })
        }
        let hidden = shown.map(\.withheld)
        return observations.indices.filter { hidden[$0] && linked.isSmall($0, minimum: minimum) }
            .map { linked.width(of: $0, hidden) }.min() ?? .infinity
    }

    /// Three neighbourhoods and their catchment, five-year averages as a health unit publishes them:
    /// withholding 1.7 alone let anyone work it out as 39.3 − 21.6 − 16.
    @Test func anAreaIsProtectedAgainstTheWholeArea() {
        let figures = [
            Observation(period: .year(2023), value: 39.3),
            Observation(period: .year(2023), areaCode: "north", value: 21.6),
            Observation(period: .year(2023), areaCode: "south", value: 16),
            Observation(period: .year(2023), areaCode: "east", value: 1.7),
        ]
        let shown = policy.shown(figures, of: measure, for: .publicRelease)
        #expect(shown[3].withheld)
        #expect(shown.filter(\.withheld).count >= 2)
        #expect(narrowest(figures, shown, minimum: 10) >= 10)
    }

    /// 9.7 is under a minimum of 10 and 0.1 above 0, however they round.
    @Test func countsThatAreNotWholeAreComparedUnrounded() {
        let figures = [
            Observation(period: .year(2023), areaCode: "a", value: 9.7),
            Observation(period: .year(2023), areaCode: "b", value: 0.1),
            Observation(period: .year(2023), areaCode: "c", value: 10),
        ]
        #expect(policy.shown(figures, of: measure, for: .publicRelease).map(\.withheld) == [true, true, false])
    }

    /// Four quarters and their year: a withheld quarter is not the year minus the other three.
    @Test func aQuarterIsProtectedAgainstItsYear() {
        let counts = [31.0, 4, 28, 40]
        let figures =
            [Observation(period: .year(2024), value: counts.reduce(0, +))]
            + counts.indices.map { Observation(period: .quarter(2024, $0 + 1), value: counts[$0]) }
        let shown = policy.shown(figures, of: measure, for: .publicRelease)
        #expect(shown[2].withheld)
        #expect(narrowest(figures, shown, minimum: 10) >= 10)
    }

    /// Breakdowns two deep, by area and over months: whatever is random, no withheld small count is
    /// narrower than the minimum, and everything shown is true.
    @Test func randomBreakdownsAreasAndMonthsLeaveNoNarrowInterval() {
        var generator = SeededGenerator(seed: 20261206)
        for _ in 0..<6 {
            var figures: [Observation] = []
            let areas = (0..<Int.random(in: 1...3, using: &generator)).map { "a\($0)" }
            let genders = ["f", "m"], ages = ["young", "old"]
            for month in 1...3 {
                for area in areas {
                    for g in genders {
                        for a in ages {
                            let n = Double(Int.random(in: 0...30, using: &generator))
                            figures.append(
                                Observation(
                                    period: .month(2025, month), areaCode: area,
                                    breakdown: Breakdown(["age": a, "gender": g]), value: n))
                        }
                    }
                }
            }
            figures += Self.totals(figures)
            let shown = policy.shown(figures, of: measure, for: .publicRelease)
            #expect(narrowest(figures, shown, minimum: 10) >= 10)
            for (o, s) in zip(figures, shown) where !s.withheld {
                #expect(s.value == o.value && (o.value! == 0 || o.value! >= 10))
            }
        }
    }

    /// Toronto's shootings and firearm discharges by neighbourhood (140), quarter and time of day, as a
    /// coordinator would publish them: most counts are small, and the year's figures form one linked table
    /// of 510. Every withheld small count's interval, by the whole linear program, is at least the minimum;
    /// and so when the policy solves only a few dozen figures together and takes the rest as known.
    @Test func aRealPoliceFileByNeighbourhoodQuarterAndTimeOfDay() throws {
        let figures = try Self.shootings(years: 2023...2023)
        let shown = policy.shown(figures, of: measure, for: .publicRelease)
        var linked = LinkedFigures()
        let index = figures.map { linked.add($0.value ?? 0) }
        for (total, parts) in DisclosurePolicy.sums(figures) {
            linked.tie(total: index[total], parts: parts.map { index[$0] })
        }
        let small = figures.indices.filter { linked.isSmall($0, minimum: 10) }
        #expect(small.count > 400)
        for (o, s) in zip(figures, shown) where !s.withheld { #expect(s.value == o.value) }
        linked.largestExact = 40
        for hidden in [shown.map(\.withheld), linked.withheld(minimum: 10)] {
            var audit = LinkedFigures.Audit(linked, hidden, limit: .max)
            #expect(small.allSatisfy { hidden[$0] })
            #expect(small.filter { audit.width(of: $0) < 10 }.isEmpty)
        }
        // The city's year and quarters stay shown: the areas protect each other.
        #expect(
            zip(figures, shown).contains {
                $0.areaCode == nil && $0.period == .year(2023) && $0.breakdown.isEveryone && !$1.withheld
            })
    }

    static let crime = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "../../../shared/data/crime"
    ).standardized

    /// Counts of the file's events in `years`: by neighbourhood and quarter, by neighbourhood and time of day,
    /// and every total of them (neighbourhood years, the city's quarters and times of day, the city's year).
    static func shootings(years: ClosedRange<Int>) throws -> [Observation] {
        let text = try String(
            contentsOf: crime.appendingPathComponent("tps_shootings_firearm_discharges_2004_2024.csv"), encoding: .utf8)
        var counts: [String: Observation] = [:]
        func count(_ period: Period, _ area: String?, _ breakdown: [String: String]) {
            let key = Observation(period: period, areaCode: area, breakdown: Breakdown(breakdown)).key
            var o =
                counts[key] ?? Observation(period: period, areaCode: area, breakdown: Breakdown(breakdown), value: 0)
            o.value! += 1
            counts[key] = o
        }
        for line in text.split(separator: "\n").dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            guard cells.count > 15, let day = Day(String(cells[2])), years.contains(day.year), cells[15] != "NSA" else {
                continue
            }
            let hood = String(cells[15]), time = String(cells[9])
            let quarter = Period.quarter(day.year, (day.month - 1) / 3 + 1)
            for area in [hood, nil] {
                for period in [quarter, .year(day.year)] { count(period, area, [:]) }
                count(.year(day.year), area, ["time": time])
            }
        }
        return counts.keys.sorted().map { counts[$0]! }
    }

    /// Every sum a publisher would add: over each dimension, over areas, over months to the quarter.
    static func totals(_ cells: [Observation]) -> [Observation] {
        var sums: [String: Observation] = [:]
        for o in cells {
            let pairs = Dictionary(uniqueKeysWithValues: o.breakdown.pairs.map { ($0.dimension, $0.value) })
            let periods = [o.period, .quarter(2025, 1)]
            let areas: [String?] = [o.areaCode, nil]
            let breakdowns = [pairs, pairs.filter { $0.key == "age" }, pairs.filter { $0.key == "gender" }, [:]]
            for p in periods {
                for a in areas {
                    for b in breakdowns where !(p == o.period && a == o.areaCode && b == pairs) {
                        let key = Observation(period: p, areaCode: a, breakdown: Breakdown(b)).key
                        var total = sums[key] ?? Observation(period: p, areaCode: a, breakdown: Breakdown(b), value: 0)
                        total.value! += o.value!
                        sums[key] = total
                    }
                }
            }
        }
        return sums.keys.sorted().map { sums[$0]! }
    }
}
