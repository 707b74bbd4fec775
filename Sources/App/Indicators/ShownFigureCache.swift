import Foundation
import WellplanCore

/// A measure's figures as shown, worked out once for each version of them and each audience, apart from the
/// requests (`WorkedOutOnce`). Protecting a large table solves over all it links, and the measure page, its
/// downloads, the dashboard and the reports each ask again, often many at once. A stored measure's figures
/// are known by their version stamp (`Observations.versions`), so a kept answer reads none of them; a
/// calculated measure's by the figures themselves.
enum ShownFigureCache {
    struct Key: Hashable, Sendable {
        let measure: UUID
        let unit: MeasureUnit
        let audience: Audience
        let policy: DisclosurePolicy
        let version: String?
        let observations: [Observation]?

        init(
            _ measure: Measure, _ audience: Audience, _ policy: DisclosurePolicy, version: String?,
            observations: [Observation]?
        ) {
            self.measure = measure.id
            unit = measure.unit
            self.audience = audience
            self.policy = policy
            self.version = version
            self.observations = version == nil ? observations : nil
        }
    }

    /// Measures × audiences × versions kept; past it the cache starts again (worked out anew, never wrong).
    private static let figures = WorkedOutOnce<Key, [ShownFigure]>("shown-figures", capacity: 512)

    /// The figures kept for this version of a stored measure's figures, if they are worked out.
    static func cached(_ measure: Measure, version: String, policy: DisclosurePolicy, for audience: Audience)
        -> [ShownFigure]?
    {
        guard measure.countsPeople else { return nil }
        return figures.done(Key(measure, audience, policy, version: version, observations: nil))
    }

    /// The figures as shown, kept under `version` (a stored measure's) or else under the figures themselves.
    /// Only a count of people is protected across its figures; others are shown at once.
    static func shown(
        _ observations: [Observation], of measure: Measure, policy: DisclosurePolicy, for audience: Audience,
        version: String? = nil
    ) async throws -> [ShownFigure] {
        guard measure.countsPeople else { return policy.shown(observations, of: measure, for: audience) }
        let key = Key(measure, audience, policy, version: version, observations: observations)
        return try await figures.value(key) { policy.shown(observations, of: measure, for: audience) }
    }
}
