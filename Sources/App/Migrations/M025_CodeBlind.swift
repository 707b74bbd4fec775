import Fluent
import SQLKit
import WellplanCore

/// Coders code blind: each answer a coder has finished (`finished_answers`), after which they see others'
/// codings of it; and a consultation's `codes_revealed`, which shows every coding to every coder. An answer
/// a coder already coded counts as finished, since they coded it before blind coding existed.
struct M025_CodeBlind: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("finished_answers")
            .field("answer_id", .uuid, .required, .references("consultation_answers", "id"))
            .field("coder_id", .uuid, .required)
            .field("finished_at", .string, .required)
            .compositeIdentifier(over: "answer_id", "coder_id")
            .create()
        try await database.sql.raw(
            """
            INSERT INTO finished_answers (answer_id, coder_id, finished_at)
            SELECT DISTINCT answer_id, coder_id, \(bind: Clock.system.now.description) FROM codings
            """
        ).run()
        try await database.schema("consultations").field("codes_revealed", .bool).update()
        try await database.sql.update("consultations").set("codes_revealed", to: SQLBind(false)).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("consultations").deleteField("codes_revealed").update()
        try await database.schema("finished_answers").delete()
    }
}
