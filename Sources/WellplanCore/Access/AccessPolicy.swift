import Foundation

/// An account's role. The anonymous public has none.
public enum Role: String, CaseIterable, Sendable, Codable {
    case admin, coordinator, member
}

/// Who is asking: a role (none for the public) and the tables the person actively sits on.
public struct Actor: Sendable, Equatable {
    public let userId: UUID?
    public let role: Role?
    public let tables: Set<UUID>

    public init(userId: UUID?, role: Role?, tables: Set<UUID> = []) {
        (self.userId, self.role, self.tables) = (userId, role, tables)
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
    case publishedPlan
    case planVersions
    case compliance
    case auditLog
    case accounts
    case jobs
}

/// The one place that decides who may do what, read by web pages and API alike.
public enum AccessPolicy {
    /// The kinds a member may write, and only within a table they sit on.
    public static let memberWritable: Set<RecordKind> = [.project, .projectPartner, .activity, .output, .actionItem]

    /// Whether the actor may do this to some record of the kind: in no table, or in one they sit on.
    /// Checked before input is read, so the public hears "sign in", not "this field is wrong".
    public static func permitsSome(_ actor: Actor, _ action: Action, _ kind: RecordKind) -> Bool {
        ([nil] + actor.tables.map { Optional($0) }).contains { permits(actor, action, .record(kind, owningTable: $0)) }
    }

    public static func permits(_ actor: Actor, _ action: Action, _ subject: Subject) -> Bool {
        switch (actor.role, subject) {
        case (_, .publishedPlan): return action == .read
        case (nil, _): return false
        case (.admin, _): return true
        case (_, .auditLog), (_, .accounts): return false
        case (.coordinator, _): return true
        case (.member, .record(let kind, let table)):
            if action == .read { return true }
            guard memberWritable.contains(kind), let table, actor.tables.contains(table) else { return false }
            return !(kind == .project && action == .delete)
        case (.member, .planVersions), (.member, .compliance), (.member, .jobs): return action == .read
        case (.member, _): return false
        }
    }
}
