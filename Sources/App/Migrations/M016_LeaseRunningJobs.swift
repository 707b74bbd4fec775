import Fluent

/// A running job carries a heartbeat, so a job left by a server that stopped can be taken up again.
struct M016_LeaseRunningJobs: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("jobs").field("heartbeat_at", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("jobs").deleteField("heartbeat_at").update()
    }
}
