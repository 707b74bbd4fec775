import Fluent

/// Admins' edits to the shipped code lists, every one kept: the lists' history.
struct M007_CreateCodeListEdits: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("code_list_edits")
            .id()
            .field("list", .string, .required)
            .field("code", .string, .required)
            .field("en", .string, .required)
            .field("fr", .string, .required)
            .field("group", .string)
            .field("provisional", .bool, .required)
            .field("retired", .bool, .required)
            .field("changed_by", .string, .required)
            .field("changed_at", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("code_list_edits").delete()
    }
}
