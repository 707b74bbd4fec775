import Foundation

/// What a situation table goes through at its meeting: new situations to decide, open situations
/// awaiting updates, mobilizations overdue past the 24–48 hour response time, and how fast it mobilizes.
public struct MeetingAgenda: Sendable, Equatable {
    public let newSituations: [SituationDiscussion]
    public let awaitingUpdates: [SituationDiscussion]
    public let overdueMobilizations: [SituationDiscussion]
    public let mobilization: MobilizationTime

    /// - Parameters:
    ///   - open: the table's discussions that are presented or open.
    ///   - recent: the table's discussions accepted in the period the mobilization figures cover.
    public init(open: [SituationDiscussion], recent: [SituationDiscussion], today: Day) {
        newSituations = open.filter { $0.lifecycleStatus == .presented }.sorted { $0.presentedOn < $1.presentedOn }
        awaitingUpdates = open.filter { $0.lifecycleStatus.isOpen }.sorted {
            ($0.acceptedOn ?? $0.presentedOn) < ($1.acceptedOn ?? $1.presentedOn)
        }
        overdueMobilizations = awaitingUpdates.filter {
            guard $0.firstContactOn == nil, let accepted = $0.acceptedOn else { return false }
            return accepted.days(until: today) > MobilizationTime.responseDays
        }
        mobilization = MobilizationTime(days: recent.compactMap(\.mobilizationDays))
    }
}

/// Days from acceptance to first contact: how many, the median, and the share within 48 hours.
public struct MobilizationTime: Sendable, Equatable {
    /// The response time the model promises: first contact within 48 hours of acceptance (domain.md §1.1).
    /// Days are whole, so first contact on or before the second day after acceptance counts as within it.
    public static let responseDays = 2

    public let count: Int
    public let medianDays: Double?
    public let withinResponseTime: Double?

    public init(days: [Int]) {
        let days = days.sorted()
        count = days.count
        guard !days.isEmpty else {
            medianDays = nil
            withinResponseTime = nil
            return
        }
        let middle = days.count / 2
        medianDays = days.count % 2 == 1 ? Double(days[middle]) : Double(days[middle - 1] + days[middle]) / 2
        withinResponseTime = Double(days.filter { $0 <= Self.responseDays }.count) / Double(days.count)
    }
}
