import Fluent
import SQLKit

/// Neighbourhood safety plans, their versions with the files, and their distribution.
struct M012_CreateSafetyPlans: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("safety_plans")
            .id()
            .field("plan_id", .uuid, .required, .references("plans", "id"))
            .field("project_id", .uuid, .references("projects", "id"))
            .field("title_en", .string, .required)
            .field("title_fr", .string)
            .field("area", .string, .required)
            .field("topics", .string)
            .field("status", .string, .required)
            .create()
        try await database.schema("safety_plan_versions")
            .id()
            .field("safety_plan_id", .uuid, .required, .references("safety_plans", "id"))
            .field("number", .int, .required)
            .field("note", .string)
            .field("file_name", .string, .required)
            .field("size", .int, .required)
            .field("sha256", .string, .required)
            .field("data", .data, .required)
            .field("uploaded_by", .string, .required)
            .field("uploaded_at", .string, .required)
            .unique(on: "safety_plan_id", "number")
            .create()
        try await database.schema("safety_plan_distributions")
            .id()
            .field("safety_plan_id", .uuid, .required, .references("safety_plans", "id"))
            .field("channel", .string, .required)
            .field("event_id", .uuid, .references("events", "id"))
            .field("count", .int, .required)
            .field("distributed_on", .string)
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["safety_plan_distributions", "safety_plan_versions", "safety_plans"] {
            try await database.schema(table).delete()
        }
    }
}
