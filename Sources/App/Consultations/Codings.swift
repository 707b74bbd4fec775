import Fluent
import Foundation
import SQLKit
import WellplanCore

/// A consultation's codebook and the excerpts coded with it: reading answers to code, adding and
/// removing codings, importing codebooks, and the figures the analysis needs (theme frequencies, kappa).
struct Codings {
    let db: any Database
    let author: Author

    /// An answer as a coder sees it, with the codings already on it that they may see (`BlindCoding`),
    /// and whether they have finished it.
    struct Answer: Codable, Sendable {
        let id: UUID
        let responseId: UUID
        let questionId: UUID
        let text: String
        var codings: [Coding]
        var finished: Bool
    }

    func codebook(_ consultation: UUID) async throws -> Codebook {
        Codebook(try await Records(db: db.sql).list(ThematicCode.self, filters: ["consultationId": consultation]))
    }

    /// A page of a question's answers (or of all free-text answers), oldest response first, as `coder` may
    /// see them.
    func answers(_ consultation: Consultation, question: UUID?, page: Int, per: Int, coder: UUID?) async throws -> (
        answers: [Answer], total: Int
    ) {
        let blind = try await blindCoding(consultation)
        var (answers, total) = try await answers(consultation.id, question: question, page: page, per: per)
        for i in answers.indices {
            answers[i].codings = blind.visible(answers[i].codings, to: coder)
            answers[i].finished = blind.hasFinished(answers[i].id, coder)
        }
        return (answers, total)
    }

    /// A page of answers with every coding on them: for the demo's loading, never for a page.
    func answers(_ consultation: UUID, question: UUID?, page: Int, per: Int) async throws -> (
        answers: [Answer], total: Int
    ) {
        func base() -> SQLSelectBuilder {
            let q = db.sql.select().from(SQLAlias(SQLIdentifier("consultation_answers"), as: SQLIdentifier("a")))
                .join(
                    SQLAlias(SQLIdentifier("consultation_responses"), as: SQLIdentifier("r")),
                    on: SQLColumn("response_id", table: "a"), .equal,
                    SQLColumn("id", table: "r")
                )
                .where(SQLColumn("consultation_id", table: "r"), .equal, SQLBind(consultation))
            return question.map { q.where(SQLColumn("question_id", table: "a"), .equal, SQLBind($0)) } ?? q
        }
        let total =
            try await base().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").first()?.decode(
                column: "n", as: Int.self) ?? 0
        let rows = try await base().column(SQLColumn("id", table: "a"), as: "id").column(
            SQLColumn("response_id", table: "a"), as: "response_id"
        )
        .column(SQLColumn("question_id", table: "a"), as: "question_id").column(
            SQLColumn("text", table: "a"), as: "text"
        )
        .orderBy(SQLColumn("imported_at", table: "r")).orderBy(SQLColumn("source_key", table: "r")).orderBy(
            SQLColumn("question_id", table: "a")
        )
        .limit(per).offset((page - 1) * per).all()
        var answers = try rows.map {
            Answer(
                id: try $0.decode(column: "id", as: UUID.self),
                responseId: try $0.decode(column: "response_id", as: UUID.self),
                questionId: try $0.decode(column: "question_id", as: UUID.self),
                text: try $0.decode(column: "text", as: String.self), codings: [],
                finished: false)
        }
        let codings = try await codings(answers: answers.map(\.id))
        for i in answers.indices { answers[i].codings = codings.filter { $0.answerId == answers[i].id } }
        return (answers, total)
    }

    private func codings(answers: [UUID]) async throws -> [Coding] {
        guard !answers.isEmpty else { return [] }
        return try await db.sql.select().column("*").from("codings").where("answer_id", in: answers)
            .orderBy("start")
            .all(decoding: Coding.self, with: Records.decoder)
    }

    /// Who has finished which of the consultation's answers, and whether its codings are revealed.
    func blindCoding(_ consultation: Consultation) async throws -> BlindCoding {
        let rows = try await finishedAnswers(consultation.id).columns(
            SQLColumn("answer_id", table: "f"), SQLColumn("coder_id", table: "f")
        ).all()
        var finished: [UUID: Set<UUID>] = [:]
        for row in rows {
            finished[try row.decode(column: "coder_id", as: UUID.self), default: []].insert(
                try row.decode(column: "answer_id", as: UUID.self))
        }
        return BlindCoding(finished: finished, revealed: consultation.codesRevealed)
    }

    /// The consultation's finished answers (`f`), with their answers (`a`).
    private func finishedAnswers(_ consultation: UUID) -> SQLSelectBuilder {
        db.sql.select().from(SQLAlias(SQLIdentifier("finished_answers"), as: SQLIdentifier("f")))
            .join(
                SQLAlias(SQLIdentifier("consultation_answers"), as: SQLIdentifier("a")),
                on: SQLColumn("answer_id", table: "f"), .equal,
                SQLColumn("id", table: "a")
            )
            .join(
                SQLAlias(SQLIdentifier("consultation_responses"), as: SQLIdentifier("r")),
                on: SQLColumn("response_id", table: "a"), .equal,
                SQLColumn("id", table: "r")
            )
            .where(SQLColumn("consultation_id", table: "r"), .equal, SQLBind(consultation))
    }

    /// A coder has finished an answer: from now they see others' codings of it, and their own stay as they
    /// are until the codings are revealed. Finishing twice changes nothing.
    func finish(_ consultation: Consultation, answer: UUID, coder: UUID) async throws {
        _ = try await answerText(consultation.id, answer)
        guard !(try await hasFinished(answer, coder)) else { return }
        let author = self.author
        try await db.writeTransaction { tx in
            try await tx.sql.insert(into: "finished_answers").columns("answer_id", "coder_id", "finished_at")
                .values(SQLBind(answer), SQLBind(coder), SQLBind(author.now.description)).run()
            try await AuditLog.append(
                on: tx.sql, author, "finish", "answer", recordId: answer.uuidString,
                after: AuditLog.json(["coder": coder.uuidString]))
        }
    }

    /// Refuses a change to a coder's codings of an answer they finished, while codings are blind: they
    /// may have seen others' codings since, and their codings are one of the two independent readings.
    private func ensureOpen(_ consultation: Consultation, answer: UUID, coder: UUID) async throws {
        if !consultation.codesRevealed, try await hasFinished(answer, coder) {
            throw WellplanError.conflict("error_answer_finished")
        }
    }

    /// Whether `coder` has finished `answer`: one row looked up, not every finished answer of the consultation.
    private func hasFinished(_ answer: UUID, _ coder: UUID) async throws -> Bool {
        try await db.sql.select().column("answer_id").from("finished_answers").where(
            "answer_id", .equal, SQLBind(answer)
        )
        .where("coder_id", .equal, SQLBind(coder)).first() != nil
    }

    /// The text of an answer of the consultation; a 422 naming the answer when it is not one.
    private func answerText(_ consultation: UUID, _ answer: UUID) async throws -> String {
        guard
            let row = try await db.sql.select().column(SQLColumn("text", table: "a"), as: "text")
                .from(SQLAlias(SQLIdentifier("consultation_answers"), as: SQLIdentifier("a")))
                .join(
                    SQLAlias(SQLIdentifier("consultation_responses"), as: SQLIdentifier("r")),
                    on: SQLColumn("response_id", table: "a"), .equal,
                    SQLColumn("id", table: "r")
                )
                .where(SQLColumn("id", table: "a"), .equal, SQLBind(answer)).where(
                    SQLColumn("consultation_id", table: "r"), .equal, SQLBind(consultation)
                )
                .first()
        else {
            throw WellplanError.invalid([FieldProblem("answerId", "error_reference_not_found", [answer.uuidString])])
        }
        return try row.decode(column: "text", as: String.self)
    }

    /// Every coding of the consultation's answers.
    func codings(_ consultation: UUID) async throws -> [Coding] {
        try await ofConsultation(consultation).all(decoding: Coding.self, with: Records.decoder)
    }

    /// Codings whose code is in the consultation's codebook.
    private func ofConsultation(_ consultation: UUID) -> SQLSelectBuilder {
        db.sql.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("c"))).from(
            SQLAlias(SQLIdentifier("codings"), as: SQLIdentifier("c"))
        )
        .join(
            SQLAlias(SQLIdentifier("thematic_codes"), as: SQLIdentifier("k")), on: SQLColumn("code_id", table: "c"),
            .equal, SQLColumn("id", table: "k")
        )
        .where(SQLColumn("consultation_id", table: "k"), .equal, SQLBind(consultation))
    }

    /// Codes the words a coder selected in an answer. The answer and the code must belong to the consultation.
    func add(_ consultation: Consultation, answer: UUID, code: UUID, selected: String, start: Int?, coder: UUID)
        async throws -> Coding
    {
        let text = try await answerText(consultation.id, answer)
        guard try await Records(db: db.sql).find(ThematicCode.self, code)?.consultationId == consultation.id else {
            throw WellplanError.invalid([FieldProblem("codeId", "error_reference_not_found", [code.uuidString])])
        }
        try await ensureOpen(consultation, answer: answer, coder: coder)
        guard let found = Coding.excerpt(selected, in: text, at: start) else {
            throw WellplanError.invalid([FieldProblem("excerpt", "error_excerpt_not_in_answer")])
        }
        let coding = Coding(
            answerId: answer, codeId: code, coderId: coder, start: found.start, length: found.length,
            excerpt: found.excerpt)
        let author = self.author
        try await db.writeTransaction { tx in
            do {
                try await tx.sql.insert(into: "codings").model(coding, with: Records.encoder).run()
            } catch let error as any DatabaseError where error.isConstraintFailure {
                throw WellplanError.conflict("error_already_coded")
            }
            try await M029_CountThemesFromCodings.placeInResponses(tx.sql, coding: coding.id)
            try await AuditLog.append(
                on: tx.sql, author, "code", "coding", recordId: coding.id.uuidString,
                after: AuditLog.json([
                    "answer": answer.uuidString, "code": code.uuidString, "start": String(found.start),
                    "length": String(found.length),
                ]))
        }
        return coding
    }

    /// Removes a coding: a coder's own, or any for a coordinator; not a finished answer's while codings are blind.
    func remove(_ id: UUID, consultation: Consultation, actor: Actor) async throws {
        guard
            let coding = try await ofConsultation(consultation.id).where(
                SQLColumn("id", table: "c"), .equal, SQLBind(id)
            )
            .first(decoding: Coding.self, with: Records.decoder)
        else { throw WellplanError.notFound("coding") }
        guard
            coding.coderId == actor.userId
                || AccessPolicy.permits(actor, .delete, .record(.consultation, owningTable: nil))
        else {
            throw WellplanError.forbidden
        }
        try await ensureOpen(consultation, answer: coding.answerId, coder: coding.coderId)
        let author = self.author
        try await db.writeTransaction { tx in
            try await tx.sql.delete(from: "codings").where("id", .equal, SQLBind(id)).run()
            try await AuditLog.append(
                on: tx.sql, author, "uncode", "coding", recordId: id.uuidString,
                before: AuditLog.json(["code": coding.codeId.uuidString]))
        }
    }

    /// Adds a codebook file's new codes, all or nothing; a `.qdc` is told by its XML, anything else read as CSV.
    func importCodebook(_ consultation: UUID, data: Data) async throws -> [ThematicCode] {
        let book = try await codebook(consultation)
        let head = String(decoding: data.prefix(64), as: UTF8.self).trimmingCharacters(
            in: CharacterSet.whitespacesAndNewlines.union(["\u{feff}"]))
        let isXML = head.hasPrefix("<")
        let added =
            isXML
            ? try book.adding(qdc: data, consultationId: consultation)
            : try book.adding(csv: data, consultationId: consultation)
        let author = self.author
        try await db.writeTransaction { tx in
            for code in added { try await Records(db: tx.sql).insert(code) }
            try await AuditLog.append(
                on: tx.sql, author, "import", "codebook", recordId: consultation.uuidString,
                after: AuditLog.json(["format": isXML ? "qdc" : "csv", "codesAdded": String(added.count)]))
        }
        return added
    }

    /// One query counts, per theme and method, the distinct responses and the excerpts coded with the
    /// theme's codes (spelled out with the codes beneath them); `ThemeFrequency.combine` adds them up. The
    /// codings carry their response and method (M029), and the codes are the consultation's own, so no other
    /// table is read.
    func frequencies(_ consultation: UUID, themes: [Theme]) async throws -> [ThemeFrequency] {
        let methods = try await Records(db: db.sql).list(
            ConsultationMethod.self, filters: ["consultationId": consultation])
        let groups = Dictionary(uniqueKeysWithValues: methods.map { ($0.id, $0.audienceGroups?.codes ?? []) })
        let pairs = ThemeFrequency.codePairs(themes, codebook: try await codebook(consultation))
        guard !pairs.isEmpty else { return ThemeFrequency.combine(themes, tallies: [], audienceGroups: groups) }
        let values = SQLList(pairs.map { SQLGroupExpression([SQLBind($0.theme), SQLBind($0.code)]) })
        let query = SQLQueryString(
            """
            WITH theme_codes(theme, code) AS (VALUES \(values))
            SELECT tc.theme AS theme, c.method_id AS method_id, COUNT(DISTINCT c.response_id) AS responses,
            COUNT(*) AS excerpts
            FROM codings c
            JOIN theme_codes tc ON tc.code = c.code_id
            GROUP BY tc.theme, c.method_id
            """)
        let tallies = try await db.sql.raw(query).all().map { row in
            ThemeFrequency.Tally(
                themeId: try row.decode(column: "theme", as: UUID.self),
                methodId: try row.decode(column: "method_id", as: UUID?.self),
                responses: try row.decode(column: "responses", as: Int.self),
                excerpts: try row.decode(column: "excerpts", as: Int.self))
        }
        return ThemeFrequency.combine(themes, tallies: tallies, audienceGroups: groups)
    }

    /// Agreement between each pair of coders over the answers both finished, and each coder's use of the codes.
    func agreement(_ consultation: Consultation) async throws -> (pairs: [CodingAgreement], use: [CodeUse]) {
        let blind = try await blindCoding(consultation)
        let rows = try await finishedAnswers(consultation.id).distinct()
            .columns(SQLColumn("id", table: "a"), SQLColumn("question_id", table: "a")).all()
        var questions: [UUID: UUID] = [:]
        for row in rows {
            questions[try row.decode(column: "id", as: UUID.self)] = try row.decode(
                column: "question_id", as: UUID.self)
        }
        let codings = try await codings(consultation.id)
        let codes = try await codebook(consultation.id).outline.map(\.code.id)
        return (
            CodingAgreement.pairs(codings, finished: blind.finished, questions: questions, codes: codes),
            CodeUse.of(codings, finished: blind.finished)
        )
    }

    /// Coders' names, for the pages (the codings keep only their ids).
    func coderNames(_ ids: Set<UUID>) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await db.sql.select().columns("id", "name").from("users").where("id", in: Array(ids)).all()
        return Dictionary(
            uniqueKeysWithValues: try rows.map {
                (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "name", as: String.self))
            })
    }
}
