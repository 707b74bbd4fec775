import Fluent
import Foundation
import SQLKit
import WellplanCore

/// Survey-tool exports into a consultation's responses. Columns are matched to the consultation's
/// questions by code (a column with no question yet becomes one, worded as the tool worded it); each
/// response is kept under the tool's response id, so importing the same file again changes nothing.
struct ResponseImports {
    let db: any Database
    let author: Author

    struct Preview: Codable, Sendable {
        struct Column: Codable, Sendable {
            let code: String
            let text: String
            /// The question it goes to; nil when the import will create one, or skip the column.
            let questionId: UUID?
            let skipped: Bool
        }
        let dialect: SurveyExport.Dialect
        let columns: [Column]
        /// The tool's bookkeeping and identifying columns, which are not imported.
        let droppedColumns: [String]
        let responses: Int
        let alreadyImported: Int
        /// The first responses' answers, for the coordinator to check the columns landed right.
        let sample: [[String: String]]
        /// Questions whose answers, alone or in pairs, put respondents in groups under the public minimum.
        let singlingOut: [SinglingOut]
        let publicMinimum: Int
    }

    struct Result: Codable, Sendable {
        let imported: Int
        let alreadyImported: Int
        let questionsCreated: Int
    }

    func preview(_ consultation: Consultation, csv: Data, mapping: ColumnMapping = .init(), publicMinimum: Int)
        async throws -> Preview
    {
        let export = try SurveyExport(data: csv)
        let questions = try await questionsByCode(consultation.id, on: db.sql)
        let resolved = try mapping.resolve(export.questions.map(\.code), existing: questions.mapValues(\.id))
        let known = try await importedKeys(consultation.id, on: db.sql)
        return Preview(
            dialect: export.dialect,
            columns: export.questions.map { column in
                let target = resolved[column.code]
                let question: UUID? =
                    if case .existing(let id)? = target { id } else { nil }
                return .init(code: column.code, text: column.text, questionId: question, skipped: target == nil)
            },
            droppedColumns: export.droppedColumns, responses: export.responses.count,
            alreadyImported: export.responses.filter { known.contains($0.key) }.count,
            sample: export.responses.prefix(3).map(\.answers),
            singlingOut: Array(SinglingOut.risks(in: export, minimum: publicMinimum).prefix(10)),
            publicMinimum: publicMinimum)
    }

    /// Everything or nothing, through staging tables (`StagedImport`): the export in `file` is read a piece at
    /// a time and each piece's responses and answers staged, with the progress told between pieces, so memory
    /// stays flat however long the export; then they are moved with the questions they create in one short
    /// transaction. A response already imported (by its key) is not imported again.
    func run(
        _ consultation: Consultation, method: UUID?, file: URL, mapping: ColumnMapping = .init(),
        store: Settings.Store, progress: @escaping @Sendable (Double) async -> Void = { _ in }
    ) async throws -> Result {
        let layout = try SurveyExport.Layout(of: file)
        if let method,
            try await Records(db: db.sql).find(ConsultationMethod.self, method)?.consultationId != consultation.id
        {
            throw WellplanError.invalid([FieldProblem("methodId", "error_reference_not_found", [method.uuidString])])
        }
        let author = self.author
        let tables = ["consultation_responses", "consultation_answers"]
        let result = try await StagedImport.run(store, pooled: db, tables: tables) { staging in
            let existing = try await questionsByCode(consultation.id, on: staging.database())
            let resolved = try mapping.resolve(layout.questions.map(\.code), existing: existing.mapValues(\.id))
            var target: [String: UUID] = [:]
            var created: [ConsultationQuestion] = []
            for column in layout.questions {
                switch resolved[column.code] {
                case .existing(let id)?: target[column.code] = id
                case .new(let code)?:
                    let question = ConsultationQuestion(
                        consultationId: consultation.id, code: code, textEn: column.text)
                    created.append(question)
                    target[column.code] = question.id
                case nil: continue
                }
            }
            let known = try await importedKeys(consultation.id, on: staging.database())
            let now = author.now
            var read = 0
            // Staged in the order of their ids, so they move without a sort.
            var ids = OrderedIDs()
            try await layout.responses(in: file) { piece in
                read += piece.count
                var responses: [StoredResponse] = []
                var answers: [StoredAnswer] = []
                for response in piece where !known.contains(response.key) {
                    let stored = StoredResponse(
                        id: ids.next(), consultationId: consultation.id, methodId: method, sourceKey: response.key,
                        importedAt: now)
                    responses.append(stored)
                    for (code, text) in response.answers.sorted(by: { $0.key < $1.key }) {
                        guard let question = target[code] else { continue }
                        answers.append(
                            StoredAnswer(id: ids.next(), responseId: stored.id, questionId: question, text: text))
                    }
                }
                try await staging.insert(responses, into: StagedImport.staged(tables[0]))
                try await staging.insert(answers, into: StagedImport.staged(tables[1]))
            } progress: {
                await progress(0.05 + 0.9 * $0)
            }
            let questions = created
            let responses = read
            return try await staging.move { tx in
                for question in questions { try await Records(db: tx).insert(question) }
                // A response another import brought in meanwhile is already there.
                try await tx.raw(
                    """
                    DELETE FROM staged_consultation_answers WHERE response_id IN (SELECT s.id FROM staged_consultation_responses s
                    JOIN consultation_responses r ON r.consultation_id = s.consultation_id AND r.source_key = s.source_key)
                    """
                ).run()
                try await tx.raw(
                    """
                    DELETE FROM staged_consultation_responses WHERE EXISTS (SELECT 1 FROM consultation_responses r
                    WHERE r.consultation_id = staged_consultation_responses.consultation_id AND r.source_key = staged_consultation_responses.source_key)
                    """
                ).run()
                let imported = try await StagedImport.move(tables[0], nil, on: tx)
                try await StagedImport.move(tables[1], nil, on: tx)
                try await AuditLog.append(
                    on: tx, author, "import", RecordKind.consultation.rawValue, recordId: consultation.id.uuidString,
                    after: AuditLog.json([
                        "dialect": layout.dialect.rawValue, "responses": String(imported),
                        "questionsCreated": String(questions.count),
                    ]))
                return Result(
                    imported: imported, alreadyImported: responses - imported, questionsCreated: questions.count)
            }
        }
        await progress(1)
        return result
    }

    /// The same from an export held in memory (the demo's): written to a temporary file first.
    func run(
        _ consultation: Consultation, method: UUID?, csv: Data, mapping: ColumnMapping = .init(),
        store: Settings.Store
    ) async throws -> Result {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("responses-\(UUID()).csv")
        try csv.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try await run(consultation, method: method, file: file, mapping: mapping, store: store)
    }

    struct StoredResponse: StagedImport.Row {
        var id: UUID
        var consultationId: UUID
        var methodId: UUID?
        var sourceKey: String
        var importedAt: Timestamp

        static let columns = ["id", "consultation_id", "method_id", "source_key", "imported_at"]
        var values: [StagedImport.Value] {
            [.id(id), .id(consultationId), .id(methodId), .text(sourceKey), .text(importedAt.description)]
        }
    }

    struct StoredAnswer: StagedImport.Row {
        var id: UUID
        var responseId: UUID
        var questionId: UUID
        var text: String

        static let columns = ["id", "response_id", "question_id", "text"]
        var values: [StagedImport.Value] { [.id(id), .id(responseId), .id(questionId), .text(text)] }
    }

    func questionsByCode(_ consultation: UUID, on sql: any SQLDatabase) async throws -> [String: ConsultationQuestion] {
        let list = try await Records(db: sql).list(
            ConsultationQuestion.self, filters: ["consultationId": consultation])
        return Dictionary(list.map { ($0.code, $0) }) { first, _ in first }
    }

    func importedKeys(_ consultation: UUID, on sql: any SQLDatabase) async throws -> Set<String> {
        Set(
            try await sql.select().column("source_key").from("consultation_responses").where(
                "consultation_id", .equal, SQLBind(consultation)
            )
            .all().map { try $0.decode(column: "source_key", as: String.self) })
    }

    /// How many responses a consultation holds, and answers per question.
    func counts(_ consultation: UUID) async throws -> (responses: Int, answers: [UUID: Int]) {
        let responses =
            try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(
                "consultation_responses"
            )
            .where("consultation_id", .equal, SQLBind(consultation)).first()?.decode(column: "n", as: Int.self) ?? 0
        var answers: [UUID: Int] = [:]
        for row in try await db.sql.select().column(SQLColumn("question_id", table: "a"), as: "q").column(
            SQLFunction("COUNT", args: SQLLiteral.all), as: "n"
        )
        .from(SQLAlias(SQLIdentifier("consultation_answers"), as: SQLIdentifier("a")))
        .join(
            SQLAlias(SQLIdentifier("consultation_responses"), as: SQLIdentifier("r")),
            on: SQLColumn("response_id", table: "a"), .equal,
            SQLColumn("id", table: "r")
        )
        .where(SQLColumn("consultation_id", table: "r"), .equal, SQLBind(consultation)).groupBy(
            SQLColumn("question_id", table: "a")
        ).all() {
            answers[try row.decode(column: "q", as: UUID.self)] = try row.decode(column: "n", as: Int.self)
        }
        return (responses, answers)
    }
}

/// A confirmed survey import, run by whichever server's worker claims it; its page shows the progress.
enum ResponseImportJob: JobKind {
    static let name = "response_import"

    static func run(_ context: JobContext) async throws -> String? {
        let sql = context.db.sql
        guard let id = UUID(uuidString: context.job.payload),
            let row = try await sql.select().columns("consultation_id", "method_id", "file_id", "created_by", "mapping")
                .from("pending_imports")
                .where("id", .equal, SQLBind(id)).first()
        else { throw WellplanError.notFound("import") }
        let consultationId = try row.decode(column: "consultation_id", as: UUID.self)
        guard let consultation = try await Records(db: sql).find(Consultation.self, consultationId) else {
            throw WellplanError.notFound("consultation")
        }
        let imports = ResponseImports(
            db: context.db,
            author: Author(
                userId: nil, label: try row.decode(column: "created_by", as: String.self), clock: context.settings.clock
            ))
        let file = try row.decode(column: "file_id", as: UUID.self)
        let mapping =
            try row.decode(column: "mapping", as: String?.self).flatMap {
                try? JSONDecoder().decode(ColumnMapping.self, from: Data($0.utf8))
            } ?? .init()
        let method = try row.decode(column: "method_id", as: UUID?.self)
        let result = try await StoredFiles(sql: sql).withCopy(file, in: context.settings.uploads) { copy in
            try await imports.run(
                consultation, method: method, file: copy, mapping: mapping, store: context.settings.store
            ) { fraction in await context.report(fraction) }
        }
        try await sql.delete(from: "pending_imports").where("id", .equal, SQLBind(id)).run()
        try await StoredFiles(sql: sql).remove(file)
        return
            "\(result.imported) imported, \(result.alreadyImported) already there, \(result.questionsCreated) questions created"
    }
}
