import Synchronization
import WellplanCore

/// A measure's figures as shown, worked out once for each version of them and each audience. Protecting
/// a large table solves over all it links, and the measure page, its downloads, the dashboard and the
/// reports each ask again. A stored measure's figures are known by their version stamp
/// (`Observations.versions`), so a hit reads none of them; a calculated measure's by the figures
/// themselves.
enum ShownFigureCache {
    private struct Entry {
        let measure: Measure
        let version: String?
        let observations: [Observation]?
        let policy: DisclosurePolicy
        let figures: [ShownFigure]

        func answers(_ measure: Measure, _ version: String?, _ observations: [Observation]?, _ policy: DisclosurePolicy)
            -> Bool
        {
            self.measure.unit == measure.unit && self.measure.countsPeople == measure.countsPeople
                && self.policy == policy
                && (version != nil ? self.version == version : self.observations == observations)
        }
    }

    private static let entries = Mutex<[String: Entry]>([:])
    /// Measures × audiences kept; past it the cache starts again (figures are worked out anew, never wrong).
    static let capacity = 512

    private static func key(_ measure: Measure, _ audience: Audience) -> String { "\(measure.id)|\(audience)" }

    /// The figures kept for this version of a stored measure's figures, if any.
    static func cached(_ measure: Measure, version: String, policy: DisclosurePolicy, for audience: Audience)
        -> [ShownFigure]?
    {
        guard let hit = entries.withLock({ $0[key(measure, audience)] }), hit.answers(measure, version, nil, policy)
        else { return nil }
        return hit.figures
    }

    /// The figures as shown, kept under `version` (a stored measure's) or else under the figures themselves.
    static func shown(
        _ observations: [Observation], of measure: Measure, policy: DisclosurePolicy, for audience: Audience,
        version: String? = nil
    ) -> [ShownFigure] {
        guard measure.countsPeople else { return policy.shown(observations, of: measure, for: audience) }
        if let hit = entries.withLock({ $0[key(measure, audience)] }),
            hit.answers(measure, version, observations, policy)
        {
            return hit.figures
        }
        let figures = policy.shown(observations, of: measure, for: audience)
        let entry = Entry(
            measure: measure, version: version, observations: version == nil ? observations : nil, policy: policy,
            figures: figures)
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll() }
            entries[key(measure, audience)] = entry
        }
        return figures
    }
}
