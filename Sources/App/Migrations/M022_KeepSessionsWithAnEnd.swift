import Fluent
import SQLKit

/// Sessions that end on the server (`DatabaseSessions`): a digest of the id, the account, and when the
/// session began, was last used and ends. They replace Fluent's table, which kept every session for ever.
struct M022_KeepSessionsWithAnEnd: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("sessions")
            .field("key", .string, .identifier(auto: false))
            .field("data", .string, .required)
            .field("user_id", .uuid)
            .field("created_at", .string, .required)
            .field("last_seen_at", .string, .required)
            .field("expires_at", .string, .required)
            .create()
        try await database.sql.raw("CREATE INDEX sessions_user ON sessions (user_id)").run()
        try await database.sql.raw("DROP TABLE IF EXISTS _fluent_sessions").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("sessions").delete()
    }
}
