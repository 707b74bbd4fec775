/// Every kind of record the plan keeps, with the names it goes by in URLs and tables.
public enum RecordKind: String, CaseIterable, Sendable, Codable {
    case organization, person, partnerTable, membership
    case plan, priority, recommendation, goal, project, projectPartner, activity, output, actionItem

    /// The URL segment: `/projects`, `/api/v1/action-items`.
    public var path: String {
        switch self {
        case .organization: "organizations"
        case .person: "people"
        case .partnerTable: "tables"
        case .membership: "memberships"
        case .plan: "plans"
        case .priority: "priorities"
        case .recommendation: "recommendations"
        case .goal: "goals"
        case .project: "projects"
        case .projectPartner: "project-partners"
        case .activity: "activities"
        case .output: "outputs"
        case .actionItem: "action-items"
        }
    }

    /// The database table.
    public var table: String { path.replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: "tables", with: "partner_tables") }

    public var labelKey: String { "kind_\(RecordField.snakeCase(rawValue))" }
    public var pluralKey: String { "kinds_\(RecordField.snakeCase(rawValue))" }

    public var recordType: any Record.Type {
        switch self {
        case .organization: Organization.self
        case .person: Person.self
        case .partnerTable: PartnerTable.self
        case .membership: Membership.self
        case .plan: Plan.self
        case .priority: PriorityRiskArea.self
        case .recommendation: GuidingRecommendation.self
        case .goal: Goal.self
        case .project: Project.self
        case .projectPartner: ProjectPartner.self
        case .activity: Activity.self
        case .output: Output.self
        case .actionItem: ActionItem.self
        }
    }

    public var fields: [RecordField] { recordType.fields }

    public init?(path: String) {
        guard let kind = RecordKind.allCases.first(where: { $0.path == path }) else { return nil }
        self = kind
    }

    /// The field whose change is kept as a timeline entry, where the kind has one.
    public var statusField: String? {
        fields.contains { $0.name == "status" } ? "status" : nil
    }
}
