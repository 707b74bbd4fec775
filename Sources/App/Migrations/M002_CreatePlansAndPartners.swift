import Fluent

/// The plan itself and the partnership that carries it: organizations, people, tables, memberships.
struct M002_CreatePlansAndPartners: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("plans")
            .id()
            .field("title_en", .string, .required)
            .field("title_fr", .string)
            .field("municipality", .string, .required)
            .field("term_start", .string, .required)
            .field("term_end", .string, .required)
            .field("adopted_on", .string)
            .field("published_on", .string)
            .field("last_revised_on", .string)
            .field("status", .string, .required)
            .field("summary_en", .string)
            .field("summary_fr", .string)
            .create()
        try await database.schema("organizations")
            .id()
            .field("name_en", .string, .required)
            .field("name_fr", .string)
            .field("sector", .string, .required)
            .field("website", .string)
            .field("notes", .string)
            .create()
        try await database.schema("people")
            .id()
            .field("name", .string, .required)
            .field("job_title", .string)
            .field("email", .string)
            .field("organization_id", .uuid, .references("organizations", "id"))
            .create()
        try await database.schema("partner_tables")
            .id()
            .field("name_en", .string, .required)
            .field("name_fr", .string)
            .field("kind", .string, .required)
            .field("plan_id", .uuid, .references("plans", "id"))
            .field("purpose_en", .string)
            .field("purpose_fr", .string)
            .field("absent_seats", .string)
            .create()
        try await database.schema("memberships")
            .id()
            .field("table_id", .uuid, .required, .references("partner_tables", "id"))
            .field("person_id", .uuid, .required, .references("people", "id"))
            .field("organization_id", .uuid, .references("organizations", "id"))
            .field("role", .string, .required)
            .field("seats", .string)
            .field("starts_on", .string)
            .field("ends_on", .string)
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["memberships", "partner_tables", "people", "organizations", "plans"] {
            try await database.schema(table).delete()
        }
    }
}
