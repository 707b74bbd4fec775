import Fluent
import SQLKit

/// Situation tables: de-identified discussions, their encrypted compartments, and the names the
/// identifier guard refuses.
struct M006_CreateSituationTables: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("situation_discussions")
            .id()
            .field("table_id", .uuid, .required, .references("partner_tables", "id"))
            .field("number", .int)
            .field("presented_on", .string, .required)
            .field("discussion_type", .string, .required)
            .field("age_band", .string, .required)
            .field("gender", .string, .required)
            .field("originating_sector", .string, .required)
            .field("area", .string)
            .field("summary", .string)
            .field("risk_factors", .string)
            .field("study_flags", .string)
            .field("protective_factors", .string)
            .field("affected_persons", .string)
            .field("services_mobilized", .string)
            .field("status", .string)
            .field("accepted_on", .string)
            .field("lead_organization_id", .uuid, .references("organizations", "id"))
            .field("assisting_organization_ids", .string)
            .field("first_contact_planned_on", .string)
            .field("first_contact_on", .string)
            .field("concluded_on", .string)
            .field("conclusion_outcome", .string)
            .field("conclusion_reason", .string)
            .unique(on: "table_id", "number")
            .create()
        // Covers every single-valued column the statistics count, so counting a few tables' discussions
        // reads the index alone instead of looking up each row.
        try await database.sql.create(index: "situation_discussions_by_table_day").on("situation_discussions")
            .column("table_id").column("presented_on").column("status").column("discussion_type").column("age_band")
            .column("gender")
            .column("originating_sector").column("conclusion_reason").column("lead_organization_id").column(
                "accepted_on"
            )
            .column("first_contact_on").run()
        // Holds no plaintext: a per-discussion key sealed by the master key, and the sealed identifiers.
        try await database.schema("discussion_compartments")
            .field("discussion_id", .uuid, .identifier(auto: false), .references("situation_discussions", "id"))
            .field("wrapped_key", .data)
            .field("ciphertext", .data, .required)
            .field("sealed_at", .string, .required)
            .field("shred_on", .string)
            .field("shredded_at", .string)
            .create()
        try await database.schema("guarded_names")
            .id()
            .field("name", .string, .required)
            .field("active", .bool, .required)
            .field("changed_by", .string, .required)
            .field("changed_at", .string, .required)
            .unique(on: "name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("guarded_names").delete()
        try await database.schema("discussion_compartments").delete()
        try await database.schema("situation_discussions").delete()
    }
}
