import Fluent
import SQLKit

/// Consultations with their methods and questions; imported responses and their answers; uploads
/// waiting for the coordinator to confirm their preview.
struct M009_CreateConsultations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("consultations")
            .id()
            .field("plan_id", .uuid, .required, .references("plans", "id"))
            .field("title_en", .string, .required)
            .field("title_fr", .string)
            .field("purpose_en", .string)
            .field("purpose_fr", .string)
            .field("starts_on", .string)
            .field("ends_on", .string)
            .create()
        try await database.schema("consultation_methods")
            .id()
            .field("consultation_id", .uuid, .required, .references("consultations", "id"))
            .field("method", .string, .required)
            .field("sessions", .int)
            .field("participants", .int)
            .field("audience_groups", .string)
            .field("held_on", .string)
            .field("notes_en", .string)
            .create()
        try await database.schema("consultation_questions")
            .id()
            .field("consultation_id", .uuid, .required, .references("consultations", "id"))
            .field("code", .string, .required)
            .field("topic", .string)
            .field("question_kind", .string)
            .field("text_en", .string, .required)
            .field("text_fr", .string)
            .unique(on: "consultation_id", "code")
            .create()
        try await database.schema("consultation_responses")
            .id()
            .field("consultation_id", .uuid, .required, .references("consultations", "id"))
            .field("method_id", .uuid, .references("consultation_methods", "id"))
            .field("source_key", .string, .required)
            .field("imported_at", .string, .required)
            .unique(on: "consultation_id", "source_key")
            .create()
        try await database.schema("consultation_answers")
            .id()
            .field("response_id", .uuid, .required, .references("consultation_responses", "id"))
            .field("question_id", .uuid, .required, .references("consultation_questions", "id"))
            .field("text", .string, .required)
            .create()
        try await database.sql.create(index: "consultation_answers_by_question").on("consultation_answers").column(
            "question_id"
        ).run()
        try await database.schema("pending_imports")
            .id()
            .field("consultation_id", .uuid, .required, .references("consultations", "id"))
            .field("method_id", .uuid)
            .field("data", .data, .required)
            .field("created_by", .string, .required)
            .field("created_at", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in [
            "pending_imports", "consultation_answers", "consultation_responses", "consultation_questions",
            "consultation_methods", "consultations",
        ] {
            try await database.schema(table).delete()
        }
    }
}
