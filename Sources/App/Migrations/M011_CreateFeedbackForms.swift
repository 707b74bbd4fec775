import Fluent
import SQLKit

/// The feedback question bank, forms per event, and the anonymous submissions with their answers.
struct M011_CreateFeedbackForms: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("feedback_questions")
            .id()
            .field("question_kind", .string, .required)
            .field("text_en", .string, .required)
            .field("text_fr", .string)
            .create()
        try await database.schema("feedback_forms")
            .id()
            .field("event_id", .uuid, .required, .references("events", "id"))
            .field("title_en", .string, .required)
            .field("title_fr", .string)
            .field("question_ids", .string, .required)
            .field("open", .bool)
            .create()
        try await database.schema("feedback_submissions")
            .id()
            .field("form_id", .uuid, .required, .references("feedback_forms", "id"))
            .field("channel", .string, .required)
            // The day only: a time to the second could tie an anonymous answer to a person at the event.
            .field("received_on", .string, .required)
            .create()
        try await database.schema("feedback_answers")
            .id()
            .field("submission_id", .uuid, .required, .references("feedback_submissions", "id"))
            .field("question_id", .uuid, .required, .references("feedback_questions", "id"))
            .field("likert", .int)
            .field("text", .string)
            .create()
        try await database.sql.create(index: "feedback_submissions_by_form").on("feedback_submissions").column(
            "form_id"
        ).run()
    }

    func revert(on database: any Database) async throws {
        for table in ["feedback_answers", "feedback_submissions", "feedback_forms", "feedback_questions"] {
            try await database.schema(table).delete()
        }
    }
}
