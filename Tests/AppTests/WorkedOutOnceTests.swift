import Foundation
import NIOConcurrencyHelpers
import Testing
import WellplanCore

@testable import App

/// Long work (the disclosure policy's solves) is done once however many ask at once, apart from the requests.
@Suite struct WorkedOutOnceTests {
    /// Eight askers at once, two keys: each key's work runs once and everyone gets its value; a key asked
    /// again later is found, not worked out.
    @Test func manyAskingAtOnceShareOneWorkingOutPerKey() async throws {
        let once = WorkedOutOnce<Int, String>("test", capacity: 8)
        let runs = NIOLockedValueBox(0)
        let answers = try await withThrowingTaskGroup(of: String.self) { group in
            for n in 0..<8 {
                group.addTask {
                    try await once.value(n % 2) {
                        runs.withLockedValue { $0 += 1 }
                        Thread.sleep(forTimeInterval: 0.2)
                        return "worked out for \(n % 2)"
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(
            answers.sorted() == Array(repeating: "worked out for 0", count: 4)
                + Array(repeating: "worked out for 1", count: 4))
        #expect(runs.withLockedValue { $0 } == 2 && once.workedOut == 2)
        #expect(try await once.value(1) { "again" } == "worked out for 1")
        #expect(once.done(0) == "worked out for 0" && once.done(5) == nil)
    }

    @Test func anImpatientAskerIsToldTheWorkGoesOn() async throws {
        let once = WorkedOutOnce<Int, Int>("test", capacity: 8)
        await #expect(throws: StillWorking.self) {
            _ = try await once.value(1, patience: .zero) {
                Thread.sleep(forTimeInterval: 0.3)
                return 7
            }
        }
        #expect(try await once.value(1) { 0 } == 7)
    }

    /// A count of people asked for by eight readers at once (a dashboard under load as its figures change):
    /// each gets what the policy shows, and it is kept for the next.
    @Test func aCountedMeasureAskedForAtOnceIsShownAsThePolicyShowsIt() async throws {
        let measure = Measure(
            planId: UUID(), code: "clients", nameEn: "Youth connected", resultEn: "Youth thrive", countsPeople: true)
        var figures: [Observation] = []
        for year in 2015...2024 {
            let small = Double((year * 7) % 13)
            for area in ["a", "b", "c"] {
                figures.append(try Observation.entered(period: String(year), areaCode: area, value: small))
            }
            figures.append(try Observation.entered(period: String(year), value: small * 3))
        }
        let policy = DisclosurePolicy()
        let observations = figures
        let expected = policy.shown(observations, of: measure, for: .publicRelease)
        let version = UUID().uuidString
        let shown = try await withThrowingTaskGroup(of: [ShownFigure].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try await ShownFigureCache.shown(
                        observations, of: measure, policy: policy, for: .publicRelease, version: version)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(shown.count == 8 && shown.allSatisfy { $0 == expected })
        #expect(ShownFigureCache.cached(measure, version: version, policy: policy, for: .publicRelease) == expected)
        #expect(expected.contains { $0.withheld })
    }
}
