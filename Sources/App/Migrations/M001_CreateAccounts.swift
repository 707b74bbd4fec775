import Fluent

/// Accounts, their API tokens, and the sign-in attempts that throttling counts.
struct M001_CreateAccounts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("users")
            .id()
            .field("email", .string, .required)
            .field("name", .string, .required)
            .field("role", .string, .required)
            .field("password_hash", .string, .required)
            .field("person_id", .uuid)
            .field("created_at", .string, .required)
            .field("disabled", .bool, .required)
            .unique(on: "email")
            .create()
        try await database.schema("api_tokens")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("token_hash", .string, .required)
            .field("label", .string)
            .field("created_at", .string, .required)
            .unique(on: "token_hash")
            .create()
        try await database.schema("sign_in_attempts")
            .id()
            .field("account", .string, .required)
            .field("address", .string, .required)
            .field("at", .string, .required)
            .field("succeeded", .bool, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["sign_in_attempts", "api_tokens", "users"] { try await database.schema(table).delete() }
    }
}
