import Foundation

/// A municipality's (or a joint) Community Safety and Well-Being plan.
public struct Plan: Record {
    public static let kind = RecordKind.plan
    public static let path = "plans"
    public static var listOrder: [PartialKeyPath<Plan>] { [\.termStart, \.titleEn] }
    public static let blank = Plan(id: .none, titleEn: "", municipality: "", termStart: .first, termEnd: .first)
    public static let fields: [Field<Plan>] = [
        .text(\.titleEn, max: 300),
        .text(\.titleFr, max: 300),
        .text(\.municipality, max: 200),
        .day(\.termStart),
        .day(\.termEnd),
        .day(\.adoptedOn),
        .day(\.publishedOn),
        .day(\.lastRevisedOn),
        .choice(\.status, .planStatuses),
        .longText(\.summaryEn),
        .longText(\.summaryFr),
    ]
    public var id: UUID
    public var titleEn: String
    public var titleFr: String?
    public var municipality: String
    public var termStart: Day
    public var termEnd: Day
    public var adoptedOn: Day?
    public var publishedOn: Day?
    public var lastRevisedOn: Day?
    public var status: String
    public var summaryEn: String?
    public var summaryFr: String?

    public init(
        id: UUID = UUID(), titleEn: String, titleFr: String? = nil, municipality: String, termStart: Day, termEnd: Day,
        adoptedOn: Day? = nil, publishedOn: Day? = nil, lastRevisedOn: Day? = nil, status: String = "draft",
        summaryEn: String? = nil, summaryFr: String? = nil
    ) {
        self.id = id
        self.titleEn = titleEn
        self.titleFr = titleFr
        self.municipality = municipality
        self.termStart = termStart
        self.termEnd = termEnd
        self.adoptedOn = adoptedOn
        self.publishedOn = publishedOn
        self.lastRevisedOn = lastRevisedOn
        self.status = status
        self.summaryEn = summaryEn
        self.summaryFr = summaryFr
    }

    public func ruleProblems() -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if termEnd <= termStart { problems.append(FieldProblem("termEnd", "error_ends_before_start")) }
        if let publishedOn, let adoptedOn, publishedOn < adoptedOn {
            problems.append(FieldProblem("publishedOn", "error_published_before_adopted"))
        }
        if publishedOn != nil, adoptedOn == nil {
            problems.append(FieldProblem("adoptedOn", "error_published_needs_adoption"))
        }
        return problems
    }
}

/// A priority risk area the plan sets out to reduce, placed in the four planning areas.
public struct PriorityRiskArea: Record {
    public static let kind = RecordKind.priority
    public static let path = "priorities"
    public static var listOrder: [PartialKeyPath<PriorityRiskArea>] { [\.planId, \.number] }
    public static let blank = PriorityRiskArea(id: .none, planId: .none, number: 0, titleEn: "")
    public static let fields: [Field<PriorityRiskArea>] = [
        .reference(\.planId, .plan),
        .integer(\.number, 1...999),
        .text(\.titleEn, max: 300),
        .text(\.titleFr, max: 300),
        .longText(\.descriptionEn),
        .longText(\.descriptionFr),
        .tags(\.planningAreas, .planningAreas),
        .tags(\.riskFactors, .riskFactors),
        .number(\.weight),
    ]
    public var id: UUID
    public var planId: UUID
    public var number: Int
    public var titleEn: String
    public var titleFr: String?
    public var descriptionEn: String?
    public var descriptionFr: String?
    public var planningAreas: TagSet?
    public var riskFactors: TagSet?
    public var weight: Double?

    public init(
        id: UUID = UUID(), planId: UUID, number: Int, titleEn: String, titleFr: String? = nil,
        descriptionEn: String? = nil, descriptionFr: String? = nil, planningAreas: TagSet? = nil,
        riskFactors: TagSet? = nil, weight: Double? = nil
    ) {
        self.id = id
        self.planId = planId
        self.number = number
        self.titleEn = titleEn
        self.titleFr = titleFr
        self.descriptionEn = descriptionEn
        self.descriptionFr = descriptionFr
        self.planningAreas = planningAreas
        self.riskFactors = riskFactors
        self.weight = weight
    }

    public func ruleProblems() -> [FieldProblem] { Weight.problems(weight) }
}

/// A guiding recommendation of the plan, numbered as the plan numbers it ("EIGHT").
public struct GuidingRecommendation: Record {
    public static let kind = RecordKind.recommendation
    public static let path = "recommendations"
    public static var listOrder: [PartialKeyPath<GuidingRecommendation>] { [\.planId, \.number] }
    public static let blank = GuidingRecommendation(id: .none, planId: .none, number: "", statementEn: "")
    public static let fields: [Field<GuidingRecommendation>] = [
        .reference(\.planId, .plan),
        .reference(\.priorityId, .priority),
        .text(\.number, max: 20),
        .longText(\.statementEn),
        .longText(\.statementFr),
        .number(\.weight),
    ]
    public var id: UUID
    public var planId: UUID
    public var priorityId: UUID?
    public var number: String
    public var statementEn: String
    public var statementFr: String?
    public var weight: Double?

    public init(
        id: UUID = UUID(), planId: UUID, priorityId: UUID? = nil, number: String, statementEn: String,
        statementFr: String? = nil, weight: Double? = nil
    ) {
        self.id = id
        self.planId = planId
        self.priorityId = priorityId
        self.number = number
        self.statementEn = statementEn
        self.statementFr = statementFr
        self.weight = weight
    }

    public func ruleProblems() -> [FieldProblem] { Weight.problems(weight) }
}

/// A goal under a guiding recommendation.
public struct Goal: Record {
    public static let kind = RecordKind.goal
    public static let path = "goals"
    public static var listOrder: [PartialKeyPath<Goal>] { [\.recommendationId] }
    public static let blank = Goal(id: .none, recommendationId: .none, statementEn: "")
    public static let fields: [Field<Goal>] = [
        .reference(\.recommendationId, .recommendation),
        .longText(\.statementEn),
        .longText(\.statementFr),
    ]
    public var id: UUID
    public var recommendationId: UUID
    public var statementEn: String
    public var statementFr: String?

    public init(id: UUID = UUID(), recommendationId: UUID, statementEn: String, statementFr: String? = nil) {
        self.id = id
        self.recommendationId = recommendationId
        self.statementEn = statementEn
        self.statementFr = statementFr
    }
}

/// A project or initiative: what a table does to carry out the plan.
public struct Project: Record {
    public static let kind = RecordKind.project
    public static let path = "projects"
    public static var listOrder: [PartialKeyPath<Project>] { [\.titleEn] }
    public static let blank = Project(id: .none, planId: .none, titleEn: "")
    public var owner: Owner { .table(leadTableId) }
    public static let fields: [Field<Project>] = [
        .reference(\.planId, .plan),
        .reference(\.recommendationId, .recommendation),
        .reference(\.goalId, .goal),
        .reference(\.leadTableId, .partnerTable),
        .text(\.titleEn, max: 300),
        .text(\.titleFr, max: 300),
        .longText(\.purposeEn),
        .longText(\.purposeFr),
        .longText(\.keyActivitiesEn),
        .longText(\.keyActivitiesFr),
        .code(\.status),
        .number(\.weight),
    ]
    public var id: UUID
    public var planId: UUID
    public var recommendationId: UUID?
    public var goalId: UUID?
    public var leadTableId: UUID?
    public var titleEn: String
    public var titleFr: String?
    public var purposeEn: String?
    public var purposeFr: String?
    public var keyActivitiesEn: String?
    public var keyActivitiesFr: String?
    public var status: ProjectStatus
    public var weight: Double?

    public init(
        id: UUID = UUID(), planId: UUID, recommendationId: UUID? = nil, goalId: UUID? = nil, leadTableId: UUID? = nil,
        titleEn: String, titleFr: String? = nil, purposeEn: String? = nil, purposeFr: String? = nil,
        keyActivitiesEn: String? = nil, keyActivitiesFr: String? = nil, status: ProjectStatus = .active,
        weight: Double? = nil
    ) {
        self.id = id
        self.planId = planId
        self.recommendationId = recommendationId
        self.goalId = goalId
        self.leadTableId = leadTableId
        self.titleEn = titleEn
        self.titleFr = titleFr
        self.purposeEn = purposeEn
        self.purposeFr = purposeFr
        self.keyActivitiesEn = keyActivitiesEn
        self.keyActivitiesFr = keyActivitiesFr
        self.status = status
        self.weight = weight
    }

    public func ruleProblems() -> [FieldProblem] { Weight.problems(weight) }
}

/// A partner organization of a project.
public struct ProjectPartner: Record {
    public static let kind = RecordKind.projectPartner
    public static let path = "project-partners"
    public static var listOrder: [PartialKeyPath<ProjectPartner>] { [\.projectId] }
    public static let blank = ProjectPartner(id: .none, projectId: .none, organizationId: .none)
    public var owner: Owner { .project(projectId) }
    public static let fields: [Field<ProjectPartner>] = [
        .reference(\.projectId, .project),
        .reference(\.organizationId, .organization),
        .text(\.contribution, max: 300),
    ]
    public var id: UUID
    public var projectId: UUID
    public var organizationId: UUID
    public var contribution: String?

    public init(id: UUID = UUID(), projectId: UUID, organizationId: UUID, contribution: String? = nil) {
        self.id = id
        self.projectId = projectId
        self.organizationId = organizationId
        self.contribution = contribution
    }
}

/// A dated entry in a project's log, with the typed counts that outputs add up.
public struct Activity: Record {
    public static let kind = RecordKind.activity
    public static let path = "activities"
    public static var listOrder: [PartialKeyPath<Activity>] { [\.occurredOn] }
    public static let blank = Activity(id: .none, projectId: .none, occurredOn: .first, summaryEn: "")
    public var owner: Owner { .project(projectId) }
    public static let fields: [Field<Activity>] =
        [
            .reference(\.projectId, .project),
            .day(\.occurredOn),
            .day(\.endedOn),
            .longText(\.summaryEn),
            .longText(\.summaryFr),
        ] + ActivityCount.allCases.map { .integer($0.keyPath, 0...10_000_000) }
    public var id: UUID
    public var projectId: UUID
    public var occurredOn: Day
    public var endedOn: Day?
    public var summaryEn: String
    public var summaryFr: String?
    public var eventsHeld: Int?
    public var peopleReached: Int?
    public var participantsTrained: Int?
    public var materialsDistributed: Int?
    public var auditsCompleted: Int?
    public var recommendationsMade: Int?
    public var recommendationsImplemented: Int?
    public var specialEvents: Int?

    public init(
        id: UUID = UUID(), projectId: UUID, occurredOn: Day, endedOn: Day? = nil, summaryEn: String,
        summaryFr: String? = nil,
        counts: [ActivityCount: Int] = [:]
    ) {
        self.id = id
        self.projectId = projectId
        self.occurredOn = occurredOn
        self.endedOn = endedOn
        self.summaryEn = summaryEn
        self.summaryFr = summaryFr
        for (count, value) in counts { self[count] = value }
    }

    public subscript(count: ActivityCount) -> Int? {
        get { self[keyPath: count.keyPath] }
        set { self[keyPath: count.keyPath] = newValue }
    }

    public func ruleProblems() -> [FieldProblem] {
        if let endedOn, endedOn < occurredOn { return [FieldProblem("endedOn", "error_ends_before_start")] }
        return []
    }
}

/// What an activity counts: the code list `activity_counts`, one integer field each.
public enum ActivityCount: String, LogicCode {
    public static let list = CodeList.activityCounts

    case eventsHeld = "events_held"
    case peopleReached = "people_reached"
    case participantsTrained = "participants_trained"
    case materialsDistributed = "materials_distributed"
    case auditsCompleted = "audits_completed"
    case recommendationsMade = "recommendations_made"
    case recommendationsImplemented = "recommendations_implemented"
    case specialEvents = "special_events"

    /// The activity's field that holds this count.
    public var keyPath: WritableKeyPath<Activity, Int?> & Sendable {
        switch self {
        case .eventsHeld: \.eventsHeld
        case .peopleReached: \.peopleReached
        case .participantsTrained: \.participantsTrained
        case .materialsDistributed: \.materialsDistributed
        case .auditsCompleted: \.auditsCompleted
        case .recommendationsMade: \.recommendationsMade
        case .recommendationsImplemented: \.recommendationsImplemented
        case .specialEvents: \.specialEvents
        }
    }

    /// The name of that field: `eventsHeld`.
    public var field: String {
        let parts = rawValue.split(separator: "_")
        return String(parts[0]) + parts.dropFirst().map { $0.capitalized }.joined()
    }
}

/// An output or outcome of a project at its logic-model level: a value typed in, or the sum of an activity count.
public struct Output: Record {
    public static let kind = RecordKind.output
    public static let path = "outputs"
    public static var listOrder: [PartialKeyPath<Output>] { [\.projectId, \.level] }
    public static let blank = Output(id: .none, projectId: .none, statementEn: "")
    public var owner: Owner { .project(projectId) }
    public static let fields: [Field<Output>] = [
        .reference(\.projectId, .project),
        .choice(\.level, .logicModelLevels),
        .text(\.statementEn, max: 500),
        .text(\.statementFr, max: 500),
        .code(\.computedFrom),
        .number(\.enteredValue),
        .number(\.target),
        .text(\.unit, max: 40),
        .number(\.weight),
    ]
    public var id: UUID
    public var projectId: UUID
    public var level: String
    public var statementEn: String
    public var statementFr: String?
    public var computedFrom: ActivityCount?
    public var enteredValue: Double?
    public var target: Double?
    public var unit: String?
    public var weight: Double?

    public init(
        id: UUID = UUID(), projectId: UUID, level: String = "output", statementEn: String, statementFr: String? = nil,
        computedFrom: ActivityCount? = nil, enteredValue: Double? = nil, target: Double? = nil, unit: String? = nil,
        weight: Double? = nil
    ) {
        self.id = id
        self.projectId = projectId
        self.level = level
        self.statementEn = statementEn
        self.statementFr = statementFr
        self.computedFrom = computedFrom
        self.enteredValue = enteredValue
        self.target = target
        self.unit = unit
        self.weight = weight
    }

    public func ruleProblems() -> [FieldProblem] {
        var problems = Weight.problems(weight)
        if computedFrom != nil, enteredValue != nil {
            problems.append(FieldProblem("enteredValue", "error_value_or_computed"))
        }
        if let target, target <= 0 { problems.append(FieldProblem("target", "error_must_be_positive")) }
        return problems
    }

    /// The value: typed in, or the sum of the chosen count over the project's activities and events.
    public func value(work: [CountedWork]) -> Double? {
        guard let count = computedFrom else { return enteredValue }
        return Double(work.compactMap { $0.counts[count] }.reduce(0, +))
    }

    public func value(activities: [Activity]) -> Double? { value(work: activities.map(CountedWork.init)) }
}

/// A next step of a project, or an action item for the table's members: owner, due date, status.
public struct ActionItem: Record {
    public static let kind = RecordKind.actionItem
    public static let path = "action-items"
    public static var listOrder: [PartialKeyPath<ActionItem>] { [\.dueOn, \.kind] }
    public static let blank = ActionItem(id: .none, projectId: .none, descriptionEn: "")
    public var owner: Owner { .project(projectId) }
    public static let fields: [Field<ActionItem>] = [
        .reference(\.projectId, .project),
        .code(\.kind),
        .longText(\.descriptionEn),
        .longText(\.descriptionFr),
        .reference(\.ownerPersonId, .person),
        .reference(\.ownerOrganizationId, .organization),
        .day(\.dueOn),
        .code(\.status),
    ]
    public var id: UUID
    public var projectId: UUID
    public var kind: ActionItemKind
    public var descriptionEn: String
    public var descriptionFr: String?
    public var ownerPersonId: UUID?
    public var ownerOrganizationId: UUID?
    public var dueOn: Day?
    public var status: ActionItemStatus

    public init(
        id: UUID = UUID(), projectId: UUID, kind: ActionItemKind = .nextStep, descriptionEn: String,
        descriptionFr: String? = nil,
        ownerPersonId: UUID? = nil, ownerOrganizationId: UUID? = nil, dueOn: Day? = nil,
        status: ActionItemStatus = .open
    ) {
        self.id = id
        self.projectId = projectId
        self.kind = kind
        self.descriptionEn = descriptionEn
        self.descriptionFr = descriptionFr
        self.ownerPersonId = ownerPersonId
        self.ownerOrganizationId = ownerOrganizationId
        self.dueOn = dueOn
        self.status = status
    }

    public func isOverdue(on day: Day) -> Bool {
        guard let dueOn, status == .open || status == .inProgress else { return false }
        return dueOn < day
    }
}

/// Weights in the progress roll-up are positive; none means 1.
enum Weight {
    static func problems(_ weight: Double?) -> [FieldProblem] {
        guard let weight, weight <= 0 || weight > 1000 else { return [] }
        return [FieldProblem("weight", "error_out_of_range", ["0", "1000"])]
    }
}

/// Where a project stands: the code list `project_statuses`.
public enum ProjectStatus: String, LogicCode {
    public static let list = CodeList.projectStatuses

    case planned, active
    case onHold = "on_hold"
    case completed, cancelled
}

/// Where an action item stands: the code list `action_item_statuses`.
public enum ActionItemStatus: String, LogicCode {
    public static let list = CodeList.actionItemStatuses

    case open
    case inProgress = "in_progress"
    case done, cancelled
}

/// A project's own next step, or an action item for the table's members: the code list `action_item_kinds`.
public enum ActionItemKind: String, LogicCode {
    public static let list = CodeList.actionItemKinds

    case nextStep = "next_step"
    case actionItem = "action_item"
}
