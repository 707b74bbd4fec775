import Synchronization
import WellplanCore

/// A measure's figures as shown, worked out once for each version of them and each audience. Protecting
/// a large table solves over all it links, and the measure page, its downloads, the dashboard and the
/// reports each ask again; the figures themselves are the key, so any change of them is a new answer.
enum ShownFigureCache {
    private struct Entry {
        let observations: [Observation]
        let unit: String
        let policy: DisclosurePolicy
        let figures: [ShownFigure]
    }

    private static let entries = Mutex<[String: Entry]>([:])
    /// Measures × audiences kept; past it the cache starts again (figures are rebuilt, never wrong).
    static let capacity = 512

    static func shown(_ observations: [Observation], of measure: Measure, policy: DisclosurePolicy, for audience: Audience) -> [ShownFigure] {
        guard measure.countsPeople else { return policy.shown(observations, of: measure, for: audience) }
        let key = "\(measure.id)|\(audience)"
        if let hit = entries.withLock({ $0[key] }), hit.unit == measure.unit, hit.policy == policy, hit.observations == observations {
            return hit.figures
        }
        let figures = policy.shown(observations, of: measure, for: audience)
        let entry = Entry(observations: observations, unit: measure.unit, policy: policy, figures: figures)
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll() }
            entries[key] = entry
        }
        return figures
    }
}
