import Foundation

/// An account's role. The anonymous public has none.
public enum Role: String, CaseIterable, Sendable, Codable {
    case admin, coordinator, member
}

/// Who is asking: a role (none for the public), the tables the person actively sits on and the
/// agencies they work for (through their person record and their memberships).
public struct Actor: Sendable, Equatable {
    public let userId: UUID?
    public let role: Role?
    public let tables: Set<UUID>
    public let organizations: Set<UUID>

    public init(userId: UUID?, role: Role?, tables: Set<UUID> = [], organizations: Set<UUID> = []) {
        self.userId = userId
        self.role = role
        self.tables = tables
        self.organizations = organizations
    }

    public static let anonymous = Actor(userId: nil, role: nil)
    public var isSignedIn: Bool { role != nil }
}

public enum Action: String, Sendable, CaseIterable {
    case read, create, update, delete
}

/// What an action is about. Records carry the table that owns them (a project's lead table).
public enum Subject: Sendable, Equatable {
    case record(RecordKind, owningTable: UUID?)
    /// The encrypted identifiers of one discussion, with the agencies its intervention is assigned to.
    case compartment(assignedTo: Set<UUID>)
    /// De-identified statistics of situation tables, as partners see them (public tables are `publishedPlan`-like: open).
    case partnerStatistics
    case publishedStatistics
    /// The admin-managed lists: code lists and the identifier guard's names.
    case referenceLists
    case publishedPlan
    /// Incidents from police and calls-for-service data: partners read counts, coordinators import.
    case incidents
    /// Coding a consultation's answers: any partner may code and remove their own codings.
    case consultationCoding
    case planVersions
    /// Reports: partners read drafts and editions; coordinators ask for, edit and publish them.
    case reports
    case compliance
    case auditLog
    case accounts
    case jobs
}

/// The one place that decides who may do what, read by web pages and API alike.
public enum AccessPolicy {
    /// The kinds a member may write, and only within a table they sit on.
    public static let memberWritable: Set<RecordKind> = [
        .project, .projectPartner, .activity, .output, .actionItem, .event, .eventMaterial, .eventAttendance,
        .feedbackForm, .safetyPlan,
        .safetyPlanDistribution,
        .cptedAudit, .auditParticipants, .auditChecklistItem, .auditFinding, .cptedRecommendation,
    ]

    /// Whether the actor may do this to some record of the kind: in no table, or in one they sit on.
    /// Checked before input is read, so the public hears "sign in", not "this field is wrong".
    public static func permitsSome(_ actor: Actor, _ action: Action, _ kind: RecordKind) -> Bool {
        ([nil] + actor.tables.map { Optional($0) }).contains { permits(actor, action, .record(kind, owningTable: $0)) }
    }

    public static func permits(_ actor: Actor, _ action: Action, _ subject: Subject) -> Bool {
        switch (actor.role, subject) {
        case (_, .publishedPlan), (_, .publishedStatistics): return action == .read
        case (nil, _): return false
        // Situation data follows the Four Filters, not the role: a discussion is seen only at its own
        // table, and its identifiers only by the agencies assigned to it. No role overrides either.
        case (_, .record(.situationDiscussion, let table)):
            guard let table, actor.tables.contains(table) else { return false }
            return action != .delete
        case (_, .compartment(let assigned)):
            return action != .delete && !actor.organizations.isDisjoint(with: assigned)
        case (_, .partnerStatistics): return action == .read
        case (.admin, .referenceLists): return true
        case (_, .referenceLists): return action == .read
        case (.admin, _): return true
        case (_, .auditLog), (_, .accounts): return false
        case (.coordinator, _): return true
        case (.member, .record(let kind, let table)):
            if action == .read { return true }
            guard memberWritable.contains(kind), let table, actor.tables.contains(table) else { return false }
            return !(kind == .project && action == .delete)
        case (.member, .consultationCoding): return action != .update
        case (.member, .incidents): return action == .read
        case (.member, .planVersions), (.member, .reports), (.member, .compliance), (.member, .jobs):
            return action == .read
        case (.member, _): return false
        }
    }
}
