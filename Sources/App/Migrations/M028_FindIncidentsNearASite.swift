import Fluent
import SQLKit

/// Incidents by where they happened: a CPTED evaluation asks for those within a few hundred metres of a
/// site over two years. By day alone that reads two thirds of a million-row table; by latitude it reads a
/// band a kilometre or so wide, and the index holds all the evaluation reads, so no row is visited.
struct M028_FindIncidentsNearASite: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.sql.create(index: "incidents_by_place").on("incidents")
            .column("latitude").column("longitude").column("occurred_on").column("category").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.drop(index: "incidents_by_place").run()
    }
}
