/// Every kind of record the plan keeps, with the names it goes by in URLs and tables.
public enum RecordKind: String, CaseIterable, Sendable, Codable {
    case organization, person, partnerTable, membership
    case plan, priority, recommendation, goal, project, projectPartner, activity, output, actionItem
    case situationDiscussion
    case event, eventMaterial, eventAttendance, feedbackQuestion, feedbackForm, safetyPlan, safetyPlanDistribution
    case consultation, consultationMethod, consultationQuestion, thematicCode, theme, illustrativeQuote
    case layer, cptedAudit, auditParticipants, auditChecklistItem, auditFinding, cptedRecommendation
    case measure, measureTarget

    /// The URL segment: `/projects`, `/api/v1/action-items`.
    public var path: String { recordType.path }

    /// The database table.
    public var table: String { recordType.table }

    public var labelKey: String { "kind_\(RecordField.snakeCase(rawValue))" }
    public var pluralKey: String { "kinds_\(RecordField.snakeCase(rawValue))" }

    /// The one registry from a kind to its record type; everything else about a kind is said in the
    /// record type's own file.
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
        case .situationDiscussion: SituationDiscussion.self
        case .event: Event.self
        case .eventMaterial: EventMaterial.self
        case .eventAttendance: EventAttendance.self
        case .feedbackQuestion: FeedbackQuestion.self
        case .feedbackForm: FeedbackForm.self
        case .safetyPlan: NeighbourhoodSafetyPlan.self
        case .safetyPlanDistribution: SafetyPlanDistribution.self
        case .consultation: Consultation.self
        case .consultationMethod: ConsultationMethod.self
        case .consultationQuestion: ConsultationQuestion.self
        case .thematicCode: ThematicCode.self
        case .layer: Layer.self
        case .cptedAudit: CptedAudit.self
        case .auditParticipants: AuditParticipants.self
        case .auditChecklistItem: AuditChecklistItem.self
        case .auditFinding: AuditFinding.self
        case .cptedRecommendation: CptedRecommendation.self
        case .measure: Measure.self
        case .measureTarget: MeasureTarget.self
        case .theme: Theme.self
        case .illustrativeQuote: IllustrativeQuote.self
        }
    }

    public var fields: [RecordField] { recordType.descriptions }

    public init?(path: String) {
        guard let kind = RecordKind.allCases.first(where: { $0.path == path }) else { return nil }
        self = kind
    }

    /// Kinds with pages and API of their own, because the generic ones would skip their rules
    /// (a situation discussion moves only through its lifecycle, and only its table's members see it).
    public var hasOwnRoutes: Bool { self == .situationDiscussion }
}
