import Dispatch
import NIOConcurrencyHelpers
import WellplanCore

/// Released statistics worked out once for the same inputs. A release is a pure function of the period, the
/// quarters' tallies as released and the policy, for both audiences at once; working it out runs the disclosure policy's
/// linear programs, seconds for a plan of several tables, on every page view before. The key is the inputs
/// themselves, so nothing needs clearing: a table that starts sharing, a quarter newly out or another
/// minimum is a new key, worked out anew.
///
/// Releases are worked out one at a time on a thread of their own, and each once however many ask: worked out
/// in the request, two requests for a plan's new release held both of a two-core machine's threads, so the
/// server answered no one until they were done (and a province of forty tables is not done for minutes).
final class ReleaseMemo: Sendable {
    typealias Release = StatisticsRelease.Released

    struct Key: Hashable {
        let period: Period
        let quarters: [[DiscussionTallies]]
        let withPlan: Bool
        let policy: DisclosurePolicy
    }

    /// What a reader who cannot wait longer is told: the release is still being worked out.
    struct StillWorking: Error {}

    /// The one the server uses.
    static let shared = ReleaseMemo()

    /// Releases kept; when full, all are let go (a new year's, or settings changed).
    let capacity: Int
    private struct State {
        var releases: [Key: [Audience: Release]] = [:]
        var working: Set<Key> = []
        var workedOut = 0
    }
    private let state = NIOLockedValueBox(State())
    private let queue = DispatchQueue(label: "wellplan.statistics-releases")

    init(capacity: Int = 64) { self.capacity = capacity }

    /// How many releases were worked out rather than found.
    var workedOut: Int { state.withLockedValue { $0.workedOut } }

    /// The release, waiting for it at most `patience` (nil: as long as it takes, as a report's job does).
    func statistics(
        _ period: Period, quarters: [[DiscussionTallies]], withPlan: Bool, policy: DisclosurePolicy,
        audience: Audience, patience: Duration? = nil
    ) async throws -> Release {
        let key = Key(period: period, quarters: quarters, withPlan: withPlan, policy: policy)
        let clock = ContinuousClock()
        let deadline = patience.map { clock.now + $0 }
        while true {
            if let known = found(key) { return known[audience]! }
            if let deadline, clock.now >= deadline { throw StillWorking() }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The release if it is kept; else starts working it out, unless that is under way.
    private func found(_ key: Key) -> [Audience: Release]? {
        let (known, start) = state.withLockedValue { state -> ([Audience: Release]?, Bool) in
            if let known = state.releases[key] { return (known, false) }
            return (nil, state.working.insert(key).inserted)
        }
        if start { queue.async { self.workOut(key) } }
        return known
    }

    private func workOut(_ key: Key) {
        let release = StatisticsRelease.statistics(
            key.period, quarters: key.quarters, withPlan: key.withPlan, policy: key.policy)
        state.withLockedValue {
            if $0.releases.count >= capacity { $0.releases.removeAll() }
            $0.releases[key] = release
            $0.working.remove(key)
            $0.workedOut += 1
        }
    }
}
