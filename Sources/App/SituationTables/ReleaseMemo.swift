import WellplanCore

/// Released statistics worked out once for the same inputs. A release is a pure function of the period, the
/// quarters' tallies as released and the policy, for both audiences at once; working it out runs the disclosure
/// policy's linear programs, seconds for a plan of several tables (and minutes for a province of forty), so
/// it is worked out apart from the requests, once however many ask (`WorkedOutOnce`).
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

    private let releases: WorkedOutOnce<Key, [Audience: Release]>

    /// Releases kept; when full, all are let go (a new year's, or settings changed).
    init(capacity: Int = 64) { releases = WorkedOutOnce("statistics-releases", capacity: capacity) }

    /// How many releases were set to be worked out rather than found.
    var workedOut: Int { releases.workedOut }

    /// The release, waiting for it at most `patience` (nil: as long as it takes, as a report's job does).
    func statistics(
        _ period: Period, quarters: [[DiscussionTallies]], withPlan: Bool, policy: DisclosurePolicy,
        audience: Audience, patience: Duration? = nil
    ) async throws -> Release {
        let key = Key(period: period, quarters: quarters, withPlan: withPlan, policy: policy)
        let release = try await releases.value(key, patience: patience) {
            StatisticsRelease.statistics(period, quarters: quarters, withPlan: withPlan, policy: policy)
        }
        return release[audience]!
    }
}
