import Fluent

/// A situation table's quarter, once released beyond the table, stays as it was first released
/// (`released_quarters`), and each discussion is counted in one release only (`released_discussions`).
/// A discussion entered after its quarter came out is counted in the next quarter released, so no two
/// readings of one release differ by it.
struct M026_KeepReleasedQuarters: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("released_quarters")
            .field("table_id", .uuid, .required)
            .field("quarter", .string, .required)
            .field("tallies", .string, .required)
            .field("released_at", .string, .required)
            .compositeIdentifier(over: "table_id", "quarter")
            .create()
        try await database.schema("released_discussions")
            .field("discussion_id", .uuid, .required)
            .field("table_id", .uuid, .required)
            .field("quarter", .string, .required)
            .compositeIdentifier(over: "discussion_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("released_discussions").delete()
        try await database.schema("released_quarters").delete()
    }
}
