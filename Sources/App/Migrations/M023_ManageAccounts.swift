import Fluent
import SQLKit
import WellplanCore

/// API tokens that end (`expires_at`; existing ones end a year from now), and sign-in attempts indexed by
/// account and by address, which the throttle reads on every sign-in.
struct M023_ManageAccounts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("api_tokens").field("expires_at", .string).update()
        let inAYear = Clock.system.now.adding(seconds: 365 * 86_400)
        try await database.sql.update("api_tokens").set("expires_at", to: SQLBind(inAYear)).run()
        try await database.sql.raw("CREATE INDEX sign_in_attempts_account ON sign_in_attempts (account, at)").run()
        try await database.sql.raw("CREATE INDEX sign_in_attempts_address ON sign_in_attempts (address, at)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.raw("DROP INDEX sign_in_attempts_account").run()
        try await database.sql.raw("DROP INDEX sign_in_attempts_address").run()
        try await database.schema("api_tokens").deleteField("expires_at").update()
    }
}
