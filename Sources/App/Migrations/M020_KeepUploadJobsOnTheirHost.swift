import Fluent

/// A job whose upload waits as a file on one host is run there, not by a server on another host that
/// shares the database and would not find the file.
struct M020_KeepUploadJobsOnTheirHost: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("jobs").field("runs_on", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("jobs").deleteField("runs_on").update()
    }
}
