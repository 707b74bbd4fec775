/// The seven seats the advisory committee must fill (CSPA s. 250); seats 3–5 only where such an entity exists.
public enum AdvisorySeat: String, LogicCode {
    public static let list = CodeList.advisorySeats

    case health, education
    case communitySocial = "community_social"
    case childrenYouthServices = "children_youth_services"
    case custodialYouth = "custodial_youth"
    case municipality, police

    /// Only seats 3–5 may be marked "no such entity in the municipality".
    public var mayBeAbsent: Bool { [.communitySocial, .childrenYouthServices, .custodialYouth].contains(self) }
}

/// One statutory date and where the plan stands against it.
public struct Deadline: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable {
        /// no date to count from yet (e.g. the plan is not adopted)
        case unknown
        case met, metLate = "met_late"
        case onTrack = "on_track"
        case notice, warning, urgent, overdue
    }
    public let name: String
    public let due: Day?
    public let metOn: Day?
    public let daysRemaining: Int?
    public let state: State
}

/// Whether one required advisory seat is filled, and by whom.
public struct SeatCoverage: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable { case covered, noSuchEntity = "no_such_entity", missing }
    public let seat: AdvisorySeat
    public let members: [String]
    public let state: State
}

/// Whether the plan's consultations heard one group the Act names, and where.
public struct GroupCoverage: Sendable, Codable, Equatable {
    public let group: String
    /// The consultation methods that reached the group ("Community survey · Focus group").
    public let heardIn: [String]
    public var isCovered: Bool { !heardIn.isEmpty }

    /// The groups a plan must consult (CSPA; domain §3.8): the advisory committee; the public, including
    /// youth, racialized groups, and First Nations, Métis and Inuit communities; organizations representing
    /// them; people who have received mental health or addictions services. Codes of the audience-group list.
    public static let required = [
        "advisory_committee", "general_public", "youth", "racialized_groups", "first_nations", "metis", "inuit",
        "community_organizations",
        "mental_health_addictions_service_users",
    ]
}

/// What the Act asks of a plan, checked on a given day.
public struct ComplianceReport: Sendable, Codable, Equatable {
    public let publishBy: Deadline
    public let reviewDue: Deadline
    public let seats: [SeatCoverage]
    public let hasAdvisoryCommittee: Bool
    public let consultationGroups: [GroupCoverage]

    public var isCompliant: Bool {
        hasAdvisoryCommittee && seats.allSatisfy { $0.state != .missing } && consultationGroups.allSatisfy(\.isCovered)
            && ![.overdue, .metLate].contains(publishBy.state) && reviewDue.state != .overdue
    }

    /// - Parameters:
    ///   - members: the advisory committee's memberships with each member's display name.
    ///   - absentSeats: seats marked "no such entity in the municipality".
    ///   - heard: the audience groups each of the plan's consultation methods reached, with the method's name.
    public static func evaluate(
        plan: Plan, hasAdvisoryCommittee: Bool, members: [(Membership, String)], absentSeats: TagSet?,
        heard: [(groups: [String], by: String)],
        on today: Day
    ) -> ComplianceReport {
        let seats = AdvisorySeat.allCases.map { seat -> SeatCoverage in
            let names = members.filter { $0.0.isActive(on: today) && ($0.0.seats?.contains(seat.rawValue) ?? false) }
                .map(\.1)
            if !names.isEmpty { return SeatCoverage(seat: seat, members: names, state: .covered) }
            if seat.mayBeAbsent, absentSeats?.contains(seat.rawValue) ?? false {
                return SeatCoverage(seat: seat, members: [], state: .noSuchEntity)
            }
            return SeatCoverage(seat: seat, members: [], state: .missing)
        }
        return ComplianceReport(
            publishBy: publishDeadline(plan, today), reviewDue: reviewDeadline(plan, today),
            seats: seats, hasAdvisoryCommittee: hasAdvisoryCommittee,
            consultationGroups: GroupCoverage.required.map { group in
                GroupCoverage(group: group, heardIn: heard.filter { $0.groups.contains(group) }.map(\.by))
            })
    }

    /// Publish within 30 days after council adopts the plan.
    static func publishDeadline(_ plan: Plan, _ today: Day) -> Deadline {
        guard let adopted = plan.adoptedOn else {
            return Deadline(name: "publish_by", due: nil, metOn: nil, daysRemaining: nil, state: .unknown)
        }
        let due = adopted.adding(days: 30)
        if let published = plan.publishedOn {
            return Deadline(
                name: "publish_by", due: due, metOn: published, daysRemaining: nil,
                state: published <= due ? .met : .metLate)
        }
        let left = today.days(until: due)
        let state: Deadline.State =
            switch left {
            case ..<0: .overdue
            case 0...7: .urgent
            case 8...14: .warning
            default: .onTrack
            }
        return Deadline(name: "publish_by", due: due, metOn: nil, daysRemaining: left, state: state)
    }

    /// Review and revise every four years from adoption or the last revision; reminders at 12, 6 and 3 months.
    static func reviewDeadline(_ plan: Plan, _ today: Day) -> Deadline {
        guard let start = [plan.adoptedOn, plan.lastRevisedOn].compactMap({ $0 }).max() else {
            return Deadline(name: "review_due", due: nil, metOn: nil, daysRemaining: nil, state: .unknown)
        }
        let due = start.adding(years: 4)
        let left = today.days(until: due)
        let state: Deadline.State =
            left < 0
            ? .overdue
            : today >= due.adding(months: -3)
                ? .urgent
                : today >= due.adding(months: -6)
                    ? .warning
                    : today >= due.adding(months: -12) ? .notice : .onTrack
        return Deadline(name: "review_due", due: due, metOn: nil, daysRemaining: left, state: state)
    }
}
