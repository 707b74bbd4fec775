import Foundation
import SQLKit
import WellplanCore

/// The table that owns a record, which decides whether a member may write it:
/// a project's lead table, and for a project's parts, their project's lead table.
enum RecordScope {
    static func owningTable(of record: some Record, _ store: Records) async throws -> UUID? {
        try await owningTable(record.owner, store)
    }

    static func owningTable(_ owner: Owner, _ store: Records) async throws -> UUID? {
        switch owner {
        case .table(let table):
            return table
        case .project(let id):
            guard let id else { return nil }
            return try await store.find(Project.self, id)?.leadTableId
        case .event(let id):
            guard let id, let event = try await store.find(Event.self, id) else { return nil }
            return try await owningTable(of: event, store)
        case .audit(let id):
            guard let audit = try await store.find(CptedAudit.self, id) else { return nil }
            return try await owningTable(of: audit, store)
        case .safetyPlan(let id):
            guard let plan = try await store.find(NeighbourhoodSafetyPlan.self, id) else { return nil }
            return try await owningTable(of: plan, store)
        }
    }
}
