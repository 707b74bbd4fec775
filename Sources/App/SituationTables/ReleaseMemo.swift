import NIOConcurrencyHelpers
import WellplanCore

/// Released statistics worked out once for the same inputs. A release is a pure function of the period, the
/// quarters' tallies as released and the policy, for both audiences at once; working it out runs the disclosure policy's
/// linear programs, seconds for a plan of several tables, on every page view before. The key is the inputs
/// themselves, so nothing needs clearing: a table that starts sharing, a quarter newly out or another
/// minimum is a new key, worked out anew.
final class ReleaseMemo: Sendable {
    typealias Release = StatisticsRelease.Released

    struct Key: Hashable {
        let period: Period
        let quarters: [[DiscussionTallies]]
        let withPlan: Bool
        let policy: DisclosurePolicy
    }

    /// The one the server uses.
    static let shared = ReleaseMemo()

    /// Releases kept; when full, all are let go (a new year's, or settings changed).
    let capacity: Int
    private let kept = NIOLockedValueBox<(releases: [Key: [Audience: Release]], workedOut: Int)>(([:], 0))

    init(capacity: Int = 64) { self.capacity = capacity }

    /// How many releases were worked out rather than found.
    var workedOut: Int { kept.withLockedValue { $0.workedOut } }

    func statistics(
        _ period: Period, quarters: [[DiscussionTallies]], withPlan: Bool, policy: DisclosurePolicy,
        audience: Audience
    ) -> Release {
        let key = Key(period: period, quarters: quarters, withPlan: withPlan, policy: policy)
        if let known = kept.withLockedValue({ $0.releases[key] }) { return known[audience]! }
        // Worked out outside the lock: two requests for the same new release may both work it out.
        let release = StatisticsRelease.statistics(period, quarters: quarters, withPlan: withPlan, policy: policy)
        kept.withLockedValue {
            if $0.releases.count >= capacity { $0.releases.removeAll() }
            $0.releases[key] = release
            $0.workedOut += 1
        }
        return release[audience]!
    }
}
