import Fluent

/// CPTED audits of a project's sites, with their participants, checklist, findings and recommendations.
struct M015_CreateCptedAudits: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("cpted_audits")
            .id()
            .field("project_id", .uuid, .required, .references("projects", "id"))
            .field("site_name", .string, .required)
            .field("latitude", .double)
            .field("longitude", .double)
            .field("site_layer_id", .uuid, .references("layers", "id"))
            .field("site_area_code", .string)
            .field("audited_on", .string, .required)
            .field("start_time", .string)
            .field("method", .string, .required)
            .field("lighting_conditions", .string)
            .field("participants", .int)
            .field("notes_en", .string)
            .create()
        try await database.schema("audit_participants")
            .id()
            .field("audit_id", .uuid, .required, .references("cpted_audits", "id"))
            .field("audience_group", .string, .required)
            .field("count", .int, .required)
            .create()
        try await database.schema("audit_checklist_items")
            .id()
            .field("audit_id", .uuid, .required, .references("cpted_audits", "id"))
            .field("principle", .string, .required)
            .field("item_en", .string, .required)
            .field("rating", .string, .required)
            .field("note_en", .string)
            .create()
        try await database.schema("audit_findings")
            .id()
            .field("audit_id", .uuid, .required, .references("cpted_audits", "id"))
            .field("principle", .string, .required)
            .field("severity", .string, .required)
            .field("description_en", .string, .required)
            .field("location_en", .string)
            .create()
        try await database.schema("cpted_recommendations")
            .id()
            .field("audit_id", .uuid, .required, .references("cpted_audits", "id"))
            .field("finding_id", .uuid, .references("audit_findings", "id"))
            .field("category", .string, .required)
            .field("description_en", .string, .required)
            .field("owner_organization_id", .uuid, .references("organizations", "id"))
            .field("cost_band", .string)
            .field("priority", .string)
            .field("status", .string, .required)
            .field("reason_en", .string)
            .field("implemented_on", .string)
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in [
            "cpted_recommendations", "audit_findings", "audit_checklist_items", "audit_participants", "cpted_audits",
        ] {
            try await database.schema(table).delete()
        }
    }
}
