import Foundation

/// Where a safety plan stands: review may send a draft back; a final plan is only distributed.
public enum SafetyPlanStatus: String, Workflow {
    public static let list = CodeList.safetyPlanStatuses

    case draft
    case partnerReview = "partner_review"
    case final, distributed

    public var next: Set<SafetyPlanStatus> {
        switch self {
        case .draft: [.partnerReview]
        case .partnerReview: [.draft, .final]
        case .final: [.distributed]
        case .distributed: []
        }
    }
}

/// A neighbourhood or municipal safety plan (seed 000: Leamington, Essex): a document with its topics,
/// moving from draft through partner review to final and distributed, kept in versions with their files.
public struct NeighbourhoodSafetyPlan: Record {
    public static let kind = RecordKind.safetyPlan
    public static let path = "safety-plans"
    public static var listOrder: [PartialKeyPath<NeighbourhoodSafetyPlan>] { [\.planId, \.titleEn] }
    public static let blank = NeighbourhoodSafetyPlan(id: .none, planId: .none, titleEn: "", area: "")
    public var owner: Owner { .project(projectId) }
    public static let fields: [Field<NeighbourhoodSafetyPlan>] = [
        .reference(\.planId, .plan),
        .reference(\.projectId, .project),
        .text(\.titleEn, max: 300),
        .text(\.titleFr, max: 300),
        .text(\.area, max: 200),
        .tags(\.topics, .safetyPlanTopics),
        .code(\.status),
    ]
    public var id: UUID
    public var planId: UUID
    public var projectId: UUID?
    public var titleEn: String
    public var titleFr: String?
    public var area: String
    public var topics: TagSet?
    public var status: SafetyPlanStatus

    public init(
        id: UUID = UUID(), planId: UUID, projectId: UUID? = nil, titleEn: String, titleFr: String? = nil, area: String,
        topics: TagSet? = nil,
        status: SafetyPlanStatus = .draft
    ) {
        self.id = id
        self.planId = planId
        self.projectId = projectId
        self.titleEn = titleEn
        self.titleFr = titleFr
        self.area = area
        self.topics = topics
        self.status = status
    }

    public func statusProblem(since before: Self) -> FieldProblem? { before.status.problem(movingTo: status) }
}

/// Copies of a safety plan handed out on one occasion: at an event, at partner offices, by mail…
public struct SafetyPlanDistribution: Record {
    public static let kind = RecordKind.safetyPlanDistribution
    public static let path = "safety-plan-distributions"
    public static var listOrder: [PartialKeyPath<SafetyPlanDistribution>] { [\.safetyPlanId, \.distributedOn] }
    public static let blank = SafetyPlanDistribution(id: .none, safetyPlanId: .none, channel: .event, count: 0)
    public var owner: Owner { .safetyPlan(safetyPlanId) }
    public static let fields: [Field<SafetyPlanDistribution>] = [
        .reference(\.safetyPlanId, .safetyPlan),
        .code(\.channel),
        .reference(\.eventId, .event),
        .integer(\.count, 1...10_000_000),
        .day(\.distributedOn),
    ]
    public var id: UUID
    public var safetyPlanId: UUID
    public var channel: DistributionChannel
    public var eventId: UUID?
    public var count: Int
    public var distributedOn: Day?

    public init(
        id: UUID = UUID(), safetyPlanId: UUID, channel: DistributionChannel, eventId: UUID? = nil, count: Int,
        distributedOn: Day? = nil
    ) {
        self.id = id
        self.safetyPlanId = safetyPlanId
        self.channel = channel
        self.eventId = eventId
        self.count = count
        self.distributedOn = distributedOn
    }

    public func ruleProblems() -> [FieldProblem] {
        channel == .event && eventId == nil ? [FieldProblem("eventId", "error_event_channel_needs_event")] : []
    }
}

/// A safety plan's distribution, added up: in all, by channel and by event.
public struct DistributionCounts: Sendable, Equatable {
    public let total: Int
    public let byChannel: [DistributionChannel: Int]
    public let byEvent: [UUID: Int]

    public init(_ distributions: [SafetyPlanDistribution]) {
        total = distributions.map(\.count).reduce(0, +)
        byChannel = Dictionary(grouping: distributions, by: \.channel).mapValues { $0.map(\.count).reduce(0, +) }
        byEvent = Dictionary(grouping: distributions.filter { $0.eventId != nil }, by: { $0.eventId! }).mapValues {
            $0.map(\.count).reduce(0, +)
        }
    }
}

/// An uploaded file of a safety plan version: only a PDF, and not too large to keep in the database.
public enum SafetyPlanFile {
    public static let maximumBytes = 20 * 1024 * 1024

    public static func problems(_ data: Data) -> [FieldProblem] {
        if data.isEmpty { return [FieldProblem("file", "error_required")] }
        if data.count > maximumBytes { return [FieldProblem("file", "error_file_too_large", ["20 MB"])] }
        if !data.prefix(1024).starts(with: Data("%PDF-".utf8)) && data.prefix(1024).range(of: Data("%PDF-".utf8)) == nil
        {
            return [FieldProblem("file", "error_not_pdf")]
        }
        return []
    }
}

/// How copies of a safety plan went out: the code list `distribution_channels`.
public enum DistributionChannel: String, LogicCode {
    public static let list = CodeList.distributionChannels

    case event
    case partnerOffice = "partner_office"
    case mail
    case doorToDoor = "door_to_door"
    case online, other
}
