import Fluent

/// Reports: each built from the data as they stood at its as-of time, edited as a draft, then published as
/// a numbered edition of its series (same kind, same subject) whose rendered files never change.
struct M019_CreateReports: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("reports")
            .id()
            .field("kind", .string, .required)
            .field("subject_id", .uuid, .required)
            .field("plan_id", .uuid)
            .field("from_day", .string)
            .field("to_day", .string)
            .field("parameters", .string)
            .field("audience", .string, .required)
            .field("state", .string, .required)
            .field("edition", .int)
            .field("title_en", .string)
            .field("title_fr", .string)
            .field("report_en", .string)
            .field("report_fr", .string)
            .field("edits", .string)
            .field("job_id", .uuid)
            .field("created_by", .string, .required)
            .field("created_at", .string, .required)
            .field("as_of", .string)
            .field("published_at", .string)
            .field("published_by", .string)
            .unique(on: "kind", "subject_id", "edition")
            .create()
        try await database.schema("report_files")
            .id()
            .field("report_id", .uuid, .required, .references("reports", "id"))
            .field("name", .string, .required)
            .field("media_type", .string, .required)
            .field("sha256", .string, .required)
            .field("data", .data, .required)
            .field("created_at", .string, .required)
            .unique(on: "report_id", "name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("report_files").delete()
        try await database.schema("reports").delete()
    }
}
