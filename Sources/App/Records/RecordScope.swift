import Foundation
import SQLKit
import WellplanCore

/// The table that owns a record, which decides whether a member may write it:
/// a project's lead table, and for a project's parts, their project's lead table.
enum RecordScope {
    static func owningTable(of record: some Record, _ store: RecordStore) async throws -> UUID? {
        if let project = record as? Project { return project.leadTableId }
        if let discussion = record as? SituationDiscussion { return discussion.tableId }
        guard let text = RecordInput.values(of: record)["projectId"] as? String, let id = UUID(uuidString: text) else { return nil }
        return try await store.find(Project.self, id)?.leadTableId
    }
}
