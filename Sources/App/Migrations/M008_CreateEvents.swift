import Fluent

/// Engagement events with their counts, materials handed out and attendance by audience group.
struct M008_CreateEvents: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("events")
            .id()
            .field("kind", .string, .required)
            .field("title_en", .string, .required)
            .field("title_fr", .string)
            .field("occurred_on", .string, .required)
            .field("start_time", .string)
            .field("end_time", .string)
            .field("place", .string)
            .field("online", .bool)
            .field("audience_groups", .string)
            .field("partner_organization_ids", .string)
            .field("table_id", .uuid, .references("partner_tables", "id"))
            .field("project_id", .uuid, .references("projects", "id"))
            .field("registrations", .int)
            .field("attendance", .int)
            .field("participants_trained", .int)
            .create()
        for table in ["event_materials", "event_attendance"] {
            try await database.schema(table)
                .id()
                .field("event_id", .uuid, .required, .references("events", "id"))
                .field(table == "event_materials" ? "material_type" : "audience_group", .string, .required)
                .field("count", .int, .required)
                .create()
        }
    }

    func revert(on database: any Database) async throws {
        for table in ["event_attendance", "event_materials", "events"] { try await database.schema(table).delete() }
    }
}
