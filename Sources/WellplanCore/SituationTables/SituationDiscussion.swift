import Foundation

/// One situation brought to a situation table, as the RTD records it: de-identified by construction.
/// The names an intervention needs live apart, in the encrypted `LimitedIdentifiers` compartment.
public struct SituationDiscussion: Record {
    public static let kind = RecordKind.situationDiscussion
    public static let path = "discussions"
    public static let table = "situation_discussions"
    public static var listOrder: [PartialKeyPath<SituationDiscussion>] { [\.tableId, \.number] }
    public static let blank = SituationDiscussion(
        id: .none, tableId: .none, presentedOn: .first, discussionType: "", ageBand: "", gender: "",
        originatingSector: "")
    public var owner: Owner { .table(tableId) }
    public static let auditKeepsValues = false

    /// What the originating agency describes at Filter 2; editable while the discussion is open.
    public static let describingFields: [Field<SituationDiscussion>] = [
        .day(\.presentedOn),
        .choice(\.discussionType, .discussionTypes),
        .choice(\.ageBand, .ageBands),
        .choice(\.gender, .genders),
        .choice(\.originatingSector, .sectors),
        .text(\.area, max: 120),
        .longText(\.summary),
        .tags(\.riskFactors, .riskFactors),
        .tags(\.studyFlags, .studyFlags),
        .tags(\.protectiveFactors, .protectiveFactors),
        .tags(\.affectedPersons, .affectedPersons),
        .tags(\.servicesMobilized, .servicesMobilized),
    ]

    /// Set by the lifecycle's transitions, never typed into the describing form.
    public static let lifecycleFields: [Field<SituationDiscussion>] = [
        .code(\.status),
        .day(\.acceptedOn),
        .reference(\.leadOrganizationId, .organization),
        .references(\.assistingOrganizationIds, .organization),
        .day(\.firstContactPlannedOn),
        .day(\.firstContactOn),
        .day(\.concludedOn),
        .choice(\.conclusionOutcome, .conclusionOutcomes),
        .choice(\.conclusionReason, .conclusionReasons),
    ]

    public static let fields: [Field<SituationDiscussion>] =
        [.reference(\.tableId, .partnerTable), .integer(\.number, 1...9_999_999)]
        + describingFields + lifecycleFields

    /// The free-text fields the identifier guard reads.
    public static let freeTextFields = ["area", "summary"]

    /// What a rejected discussion keeps (domain.md §1.10 rule 2); everything else is refused.
    public static let keptWhenRejected: Set<String> = [
        "id", "tableId", "number", "presentedOn", "discussionType", "ageBand", "gender", "originatingSector", "status",
    ]

    public var id: UUID
    public var tableId: UUID
    public var number: Int?
    public var presentedOn: Day
    public var discussionType: String
    public var ageBand: String
    public var gender: String
    public var originatingSector: String
    public var area: String?
    public var summary: String?
    public var riskFactors: TagSet?
    public var studyFlags: TagSet?
    public var protectiveFactors: TagSet?
    public var affectedPersons: TagSet?
    public var servicesMobilized: TagSet?
    public var status: DiscussionStatus?
    public var acceptedOn: Day?
    public var leadOrganizationId: UUID?
    public var assistingOrganizationIds: TagSet?
    public var firstContactPlannedOn: Day?
    public var firstContactOn: Day?
    public var concludedOn: Day?
    public var conclusionOutcome: String?
    public var conclusionReason: String?

    public init(
        id: UUID = UUID(), tableId: UUID, number: Int? = nil, presentedOn: Day, discussionType: String, ageBand: String,
        gender: String, originatingSector: String, area: String? = nil, summary: String? = nil,
        riskFactors: TagSet? = nil, studyFlags: TagSet? = nil, protectiveFactors: TagSet? = nil,
        affectedPersons: TagSet? = nil, servicesMobilized: TagSet? = nil
    ) {
        self.id = id
        self.tableId = tableId
        self.number = number
        self.presentedOn = presentedOn
        self.discussionType = discussionType
        self.ageBand = ageBand
        self.gender = gender
        self.originatingSector = originatingSector
        self.area = area
        self.summary = summary
        self.riskFactors = riskFactors
        self.studyFlags = studyFlags
        self.protectiveFactors = protectiveFactors
        self.affectedPersons = affectedPersons
        self.servicesMobilized = servicesMobilized
        self.status = .presented
    }

    public var lifecycleStatus: DiscussionStatus { status ?? .presented }

    /// The table's events move the status (`DiscussionLifecycle`); no write may move it off their paths.
    public func statusProblem(since before: Self) -> FieldProblem? {
        before.lifecycleStatus.problem(movingTo: lifecycleStatus)
    }

    public func ownTitle(_ language: Language) -> String? {
        let label = Catalogue.shared.text("kind_situation_discussion", language)
        return "\(label) \(number.map { "#\($0)" } ?? "") · \(presentedOn)"
    }

    /// Mobilization time: days from acceptance to first contact.
    public var mobilizationDays: Int? {
        guard let acceptedOn, let firstContactOn else { return nil }
        return acceptedOn.days(until: firstContactOn)
    }

    public var assistingOrganizations: [UUID] {
        assistingOrganizationIds?.codes.compactMap(UUID.init(uuidString:)) ?? []
    }

    /// The agencies the intervention is assigned to: the only ones that may open the compartment.
    public var assignedOrganizations: Set<UUID> { Set([leadOrganizationId].compactMap { $0 } + assistingOrganizations) }

    public func ruleProblems() -> [FieldProblem] { DiscussionLifecycle.problems(self) }
}
