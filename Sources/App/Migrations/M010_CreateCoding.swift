import Fluent
import SQLKit

/// A consultation's codebook, the excerpts coders code with it, the themes built from codes and the
/// quotes that illustrate them.
struct M010_CreateCoding: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("thematic_codes")
            .id()
            .field("consultation_id", .uuid, .required, .references("consultations", "id"))
            // Checked by the record writer, not the database: a restore inserts codes in id order, not parents first.
            .field("parent_id", .uuid)
            .field("name_en", .string, .required)
            .field("name_fr", .string)
            .field("description_en", .string)
            .create()
        try await database.schema("themes")
            .id()
            .field("consultation_id", .uuid, .required, .references("consultations", "id"))
            .field("section", .string, .required)
            .field("name_en", .string, .required)
            .field("name_fr", .string)
            .field("code_ids", .string)
            .field("priority_id", .uuid, .references("priorities", "id"))
            .field("recommendation_id", .uuid, .references("recommendations", "id"))
            .field("action_item_ids", .string)
            .field("we_did_en", .string)
            .field("we_did_fr", .string)
            .field("published", .bool)
            .create()
        try await database.schema("illustrative_quotes")
            .id()
            .field("theme_id", .uuid, .required, .references("themes", "id"))
            .field("text", .string, .required)
            .field("published", .bool)
            .create()
        try await database.schema("codings")
            .id()
            .field("answer_id", .uuid, .required, .references("consultation_answers", "id"))
            .field("code_id", .uuid, .required, .references("thematic_codes", "id"))
            .field("coder_id", .uuid, .required)
            .field("start", .int, .required)
            .field("length", .int, .required)
            .field("excerpt", .string, .required)
            .unique(on: "answer_id", "code_id", "coder_id", "start", "length")
            .create()
        try await database.sql.create(index: "codings_by_code").on("codings").column("code_id").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["codings", "illustrative_quotes", "themes", "thematic_codes"] {
            try await database.schema(table).delete()
        }
    }
}
