import Fluent
import SQLKit

/// Layers of areas with their polygons, incidents with where and when, each located incident's area in
/// every layer, and the incident imports waiting for or done by their job.
struct M014_CreatePlaces: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("layers")
            .id()
            .field("name_en", .string, .required)
            .field("name_fr", .string)
            .field("layer_kind", .string, .required)
            .field("source", .string)
            .create()
        try await database.schema("areas")
            .id()
            .field("layer_id", .uuid, .required, .references("layers", "id"))
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("geometry", .string, .required)
            .unique(on: "layer_id", "code")
            .create()
        try await database.schema("incidents")
            .id()
            .field("row_key", .string, .required)
            .field("event_id", .string, .required)
            .field("category", .string, .required)
            .field("occurred_at", .string, .required)
            .field("occurred_on", .string, .required)
            .field("longitude", .double)
            .field("latitude", .double)
            .field("area_code", .string)
            .field("reported_area", .string)
            .field("import_id", .uuid, .required)
            .unique(on: "row_key")
            .create()
        try await database.sql.create(index: "incidents_by_day").on("incidents").column("occurred_on").run()
        try await database.schema("incident_areas")
            .id()
            .field("incident_id", .uuid, .required, .references("incidents", "id"))
            .field("layer_id", .uuid, .required, .references("layers", "id"))
            .field("area_id", .uuid, .required, .references("areas", "id"))
            .unique(on: "incident_id", "layer_id")
            .create()
        try await database.sql.create(index: "incident_areas_by_area").on("incident_areas").column("area_id").run()
        try await database.schema("incident_imports")
            .id()
            .field("file", .string, .required)
            .field("columns", .string, .required)
            .field("rows", .int, .required)
            .field("created_by", .string, .required)
            .field("created_at", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["incident_imports", "incident_areas", "incidents", "areas", "layers"] {
            try await database.schema(table).delete()
        }
    }
}
