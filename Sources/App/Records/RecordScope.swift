import Foundation
import SQLKit
import WellplanCore

/// The table that owns a record, which decides whether a member may write it:
/// a project's lead table, and for a project's parts, their project's lead table.
enum RecordScope {
    /// An event belongs to its project's lead table, or else to the table it serves.
    static func owningTable(of event: Event, _ store: RecordStore) async throws -> UUID? {
        if let project = event.projectId { return try await store.find(Project.self, project)?.leadTableId }
        return event.tableId
    }

    static func owningTable(of record: some Record, _ store: RecordStore) async throws -> UUID? {
        if let project = record as? Project { return project.leadTableId }
        if let discussion = record as? SituationDiscussion { return discussion.tableId }
        if let event = record as? Event { return try await owningTable(of: event, store) }
        if let id = (RecordInput.values(of: record)["auditId"] as? String).flatMap(UUID.init(uuidString:)) {
            guard let audit = try await store.find(CptedAudit.self, id) else { return nil }
            return try await owningTable(of: audit, store)
        }
        if let distribution = record as? SafetyPlanDistribution {
            guard let plan = try await store.find(NeighbourhoodSafetyPlan.self, distribution.safetyPlanId) else { return nil }
            return try await owningTable(of: plan, store)
        }
        if let id = (RecordInput.values(of: record)["eventId"] as? String).flatMap(UUID.init(uuidString:)),
            let event = try await store.find(Event.self, id)
        {
            return try await owningTable(of: event, store)
        }
        guard let text = RecordInput.values(of: record)["projectId"] as? String, let id = UUID(uuidString: text) else { return nil }
        return try await store.find(Project.self, id)?.leadTableId
    }
}
