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

    /// A release being worked out or worked out: readers hold it while they wait, so letting it go from the
    /// memo when full strands no one.
    private final class Pending: Sendable {
        let release = NIOLockedValueBox<[Audience: Release]?>(nil)
    }

    /// The one the server uses.
    static let shared = ReleaseMemo()

    /// Releases kept; when full, all are let go (a new year's, or settings changed).
    let capacity: Int
    private let kept = NIOLockedValueBox<(releases: [Key: Pending], workedOut: Int)>(([:], 0))
    private let queue = DispatchQueue(label: "wellplan.statistics-releases")

    init(capacity: Int = 64) { self.capacity = capacity }

    /// How many releases were set to be worked out rather than found.
    var workedOut: Int { kept.withLockedValue { $0.workedOut } }

    /// The release, waiting for it at most `patience` (nil: as long as it takes, as a report's job does).
    func statistics(
        _ period: Period, quarters: [[DiscussionTallies]], withPlan: Bool, policy: DisclosurePolicy,
        audience: Audience, patience: Duration? = nil
    ) async throws -> Release {
        let pending = self.pending(Key(period: period, quarters: quarters, withPlan: withPlan, policy: policy))
        let clock = ContinuousClock()
        let deadline = patience.map { clock.now + $0 }
        while true {
            if let release = pending.release.withLockedValue({ $0 }) { return release[audience]! }
            if let deadline, clock.now >= deadline { throw StillWorking() }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The release kept for `key`, or one started now.
    private func pending(_ key: Key) -> Pending {
        let (pending, isNew) = kept.withLockedValue { kept -> (Pending, Bool) in
            if let known = kept.releases[key] { return (known, false) }
            if kept.releases.count >= capacity { kept.releases.removeAll() }
            let started = Pending()
            kept.releases[key] = started
            kept.workedOut += 1
            return (started, true)
        }
        if isNew {
            queue.async {
                let release = StatisticsRelease.statistics(
                    key.period, quarters: key.quarters, withPlan: key.withPlan, policy: key.policy)
                pending.release.withLockedValue { $0 = release }
            }
        }
        return pending
    }
}
