import Fluent

/// Durable jobs: long work that survives a restart and is claimed by exactly one server.
struct M005_CreateJobs: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("jobs")
            .id()
            .field("kind", .string, .required)
            .field("state", .string, .required)
            .field("payload", .string, .required)
            .field("progress", .double, .required)
            .field("message", .string)
            .field("error", .string)
            .field("result", .string)
            .field("attempts", .int, .required)
            .field("max_attempts", .int, .required)
            .field("claimed_by", .string)
            .field("created_by", .string, .required)
            .field("created_at", .string, .required)
            .field("started_at", .string)
            .field("finished_at", .string)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("jobs").delete()
    }
}
