import Foundation

/// A walk of one site by a project's people: a professional CPTED audit, a women's safety audit or a
/// community walkabout (domain §4). The site is a point, or an area of a CPTED-sites layer.
public struct CptedAudit: Record {
    public static let kind = RecordKind.cptedAudit
    public static let path = "cpted-audits"
    public static var listOrder: [PartialKeyPath<CptedAudit>] { [\.auditedOn, \.siteName] }
    public static let blank = CptedAudit(id: .none, projectId: .none, siteName: "", auditedOn: .first, method: "")
    public var owner: Owner { .project(projectId) }
    public static let fields: [Field<CptedAudit>] = [
        .reference(\.projectId, .project),
        .text(\.siteName, max: 300),
        .number(\.latitude),
        .number(\.longitude),
        .reference(\.siteLayerId, .layer),
        .text(\.siteAreaCode, max: 200),
        .day(\.auditedOn),
        .text(\.startTime, max: 5),
        .choice(\.method, .auditMethods),
        .choice(\.lightingConditions, .lightingConditions),
        .integer(\.participants, 0...10_000),
        .longText(\.notesEn),
    ]
    public var id: UUID
    public var projectId: UUID
    public var siteName: String
    public var latitude: Double?
    public var longitude: Double?
    public var siteLayerId: UUID?
    public var siteAreaCode: String?
    public var auditedOn: Day
    public var startTime: String?
    public var method: String
    public var lightingConditions: String?
    public var participants: Int?
    public var notesEn: String?

    public init(
        id: UUID = UUID(), projectId: UUID, siteName: String, latitude: Double? = nil, longitude: Double? = nil,
        siteLayerId: UUID? = nil,
        siteAreaCode: String? = nil, auditedOn: Day, startTime: String? = nil, method: String,
        lightingConditions: String? = nil, participants: Int? = nil
    ) {
        self.id = id
        self.projectId = projectId
        self.siteName = siteName
        self.latitude = latitude
        self.longitude = longitude
        self.siteLayerId = siteLayerId
        self.siteAreaCode = siteAreaCode
        self.auditedOn = auditedOn
        self.startTime = startTime
        self.method = method
        self.lightingConditions = lightingConditions
        self.participants = participants
    }

    public var position: Position? {
        guard let latitude, let longitude else { return nil }
        let p = Position(longitude: longitude, latitude: latitude)
        return p.isValid ? p : nil
    }

    public func ruleProblems() -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if (latitude == nil) != (longitude == nil) || (latitude != nil && position == nil) {
            problems.append(
                FieldProblem("latitude", "error_not_coordinates", [String(latitude ?? 0), String(longitude ?? 0)]))
        }
        if (siteLayerId == nil) != ((siteAreaCode ?? "").isEmpty) {
            problems.append(FieldProblem("siteAreaCode", "error_site_area_needs_layer"))
        }
        if latitude == nil && siteLayerId == nil { problems.append(FieldProblem("latitude", "error_site_needs_place")) }
        if let startTime, Event.minutes(startTime) == nil {
            problems.append(FieldProblem("startTime", "error_not_time"))
        }
        return problems
    }
}

/// How many of an audit's participants came from one group: residents, police, city staff…
public struct AuditParticipants: Record {
    public static let kind = RecordKind.auditParticipants
    public static let path = "audit-participants"
    public static var listOrder: [PartialKeyPath<AuditParticipants>] { [\.auditId] }
    public static let blank = AuditParticipants(id: .none, auditId: .none, audienceGroup: "", count: 0)
    public var owner: Owner { .audit(auditId) }
    public static let fields: [Field<AuditParticipants>] = [
        .reference(\.auditId, .cptedAudit),
        .choice(\.audienceGroup, .audienceGroups),
        .integer(\.count, 1...10_000),
    ]
    public var id: UUID
    public var auditId: UUID
    public var audienceGroup: String
    public var count: Int

    public init(id: UUID = UUID(), auditId: UUID, audienceGroup: String, count: Int) {
        self.id = id
        self.auditId = auditId
        self.audienceGroup = audienceGroup
        self.count = count
    }
}

/// One checklist item as the auditors found it, under its principle.
public struct AuditChecklistItem: Record {
    public static let kind = RecordKind.auditChecklistItem
    public static let path = "audit-checklist-items"
    public static var listOrder: [PartialKeyPath<AuditChecklistItem>] { [\.auditId] }
    public static let blank = AuditChecklistItem(id: .none, auditId: .none, principle: "", itemEn: "", rating: "")
    public var owner: Owner { .audit(auditId) }
    public static let fields: [Field<AuditChecklistItem>] = [
        .reference(\.auditId, .cptedAudit),
        .choice(\.principle, .cptedPrinciples),
        .text(\.itemEn, max: 300),
        .choice(\.rating, .checklistRatings),
        .longText(\.noteEn),
    ]
    public var id: UUID
    public var auditId: UUID
    public var principle: String
    public var itemEn: String
    public var rating: String
    public var noteEn: String?

    public init(
        id: UUID = UUID(), auditId: UUID, principle: String, itemEn: String, rating: String, noteEn: String? = nil
    ) {
        self.id = id
        self.auditId = auditId
        self.principle = principle
        self.itemEn = itemEn
        self.rating = rating
        self.noteEn = noteEn
    }
}

/// Something the audit found wrong, where, and how badly.
public struct AuditFinding: Record {
    public static let kind = RecordKind.auditFinding
    public static let path = "audit-findings"
    public static var listOrder: [PartialKeyPath<AuditFinding>] { [\.auditId] }
    public static let blank = AuditFinding(id: .none, auditId: .none, principle: "", severity: "", descriptionEn: "")
    public var owner: Owner { .audit(auditId) }
    public static let fields: [Field<AuditFinding>] = [
        .reference(\.auditId, .cptedAudit),
        .choice(\.principle, .cptedPrinciples),
        .choice(\.severity, .findingSeverities),
        .longText(\.descriptionEn),
        .text(\.locationEn, max: 300),
    ]
    public var id: UUID
    public var auditId: UUID
    public var principle: String
    public var severity: String
    public var descriptionEn: String
    public var locationEn: String?

    public init(
        id: UUID = UUID(), auditId: UUID, principle: String, severity: String, descriptionEn: String,
        locationEn: String? = nil
    ) {
        self.id = id
        self.auditId = auditId
        self.principle = principle
        self.severity = severity
        self.descriptionEn = descriptionEn
        self.locationEn = locationEn
    }
}

/// Where a CPTED recommendation stands: proposed, then accepted, in progress, implemented and verified;
/// declined or deferred (with a reason) on the way.
public enum RecommendationStatus: String, Workflow {
    public static let list = CodeList.recommendationStatuses

    case proposed, accepted, declined, deferred
    case inProgress = "in_progress"
    case implemented, verified

    public var next: Set<RecommendationStatus> {
        switch self {
        case .proposed: [.accepted, .declined, .deferred]
        case .accepted: [.inProgress, .declined, .deferred]
        case .inProgress: [.implemented, .deferred]
        case .implemented: [.verified]
        case .verified: []
        case .declined: [.proposed]
        case .deferred: [.proposed, .accepted]
        }
    }
}

/// What an audit recommends, who owns it, and how far it has come: proposed → accepted → in progress →
/// implemented → verified, or declined or deferred with a reason. The implementation date is what a
/// pre/post evaluation counts from.
public struct CptedRecommendation: Record {
    public static let kind = RecordKind.cptedRecommendation
    public static let path = "cpted-recommendations"
    public static var listOrder: [PartialKeyPath<CptedRecommendation>] { [\.auditId, \.status] }
    public static let blank = CptedRecommendation(id: .none, auditId: .none, category: "", descriptionEn: "")
    public var owner: Owner { .audit(auditId) }
    public static let fields: [Field<CptedRecommendation>] = [
        .reference(\.auditId, .cptedAudit),
        .reference(\.findingId, .auditFinding),
        .choice(\.category, .recommendationCategories),
        .longText(\.descriptionEn),
        .reference(\.ownerOrganizationId, .organization),
        .choice(\.costBand, .costBands),
        .choice(\.priority, .recommendationPriorities),
        .code(\.status),
        .longText(\.reasonEn),
        .day(\.implementedOn),
    ]
    public var id: UUID
    public var auditId: UUID
    public var findingId: UUID?
    public var category: String
    public var descriptionEn: String
    public var ownerOrganizationId: UUID?
    public var costBand: String?
    public var priority: String?
    public var status: RecommendationStatus
    public var reasonEn: String?
    public var implementedOn: Day?

    public init(
        id: UUID = UUID(), auditId: UUID, findingId: UUID? = nil, category: String, descriptionEn: String,
        ownerOrganizationId: UUID? = nil,
        costBand: String? = nil, priority: String? = nil, status: RecommendationStatus = .proposed,
        reasonEn: String? = nil,
        implementedOn: Day? = nil
    ) {
        self.id = id
        self.auditId = auditId
        self.findingId = findingId
        self.category = category
        self.descriptionEn = descriptionEn
        self.ownerOrganizationId = ownerOrganizationId
        self.costBand = costBand
        self.priority = priority
        self.status = status
        self.reasonEn = reasonEn
        self.implementedOn = implementedOn
    }

    public func statusProblem(since before: Self) -> FieldProblem? { before.status.problem(movingTo: status) }

    public var isImplemented: Bool { status == .implemented || status == .verified }

    public func ruleProblems() -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if status == .declined || status == .deferred, (reasonEn ?? "").isEmpty {
            problems.append(FieldProblem("reasonEn", "error_reason_required"))
        }
        if isImplemented && implementedOn == nil {
            problems.append(FieldProblem("implementedOn", "error_implemented_on_required"))
        }
        if !isImplemented && implementedOn != nil {
            problems.append(FieldProblem("implementedOn", "error_not_implemented_yet"))
        }
        return problems
    }
}

extension CountedWork {
    /// An audit counts as one audit done, its recommendations as made, and those implemented or verified as implemented.
    public init(_ audit: CptedAudit, recommendations: [CptedRecommendation]) {
        let own = recommendations.filter { $0.auditId == audit.id }
        counts = [.auditsCompleted: 1]
        if !own.isEmpty { counts[.recommendationsMade] = own.count }
        let implemented = own.filter(\.isImplemented).count
        if implemented > 0 { counts[.recommendationsImplemented] = implemented }
    }
}
