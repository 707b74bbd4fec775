import Fluent

/// A confirmed survey import keeps the column-to-question choices the coordinator made on its preview.
struct M013_KeepImportMappings: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("pending_imports").field("mapping", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("pending_imports").deleteField("mapping").update()
    }
}
