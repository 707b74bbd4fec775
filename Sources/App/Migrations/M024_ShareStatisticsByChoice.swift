import Fluent

/// Whom a situation table releases its statistics to beyond its members (`statistics_shared`): nobody
/// until its members choose partners or the public, so an existing table shares nothing by default.
struct M024_ShareStatisticsByChoice: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("partner_tables").field("statistics_shared", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("partner_tables").deleteField("statistics_shared").update()
    }
}
