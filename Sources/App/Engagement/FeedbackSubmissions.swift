import Fluent
import Foundation
import SQLKit
import WellplanCore

/// Where filled feedback forms are kept, and their results read back.
struct FeedbackSubmissions {
    let db: any Database
    /// The day a submission is received on.
    let clock: Clock

    struct StoredSubmission: Codable, Sendable {
        var id: UUID
        var formId: UUID
        var channel: String
        var receivedOn: Day
    }

    struct StoredAnswer: Codable, Sendable {
        var id: UUID
        var submissionId: UUID
        var questionId: UUID
        var likert: Int?
        var text: String?
    }

    /// The form's questions, in the form's order.
    func questions(of form: FeedbackForm) async throws -> [FeedbackQuestion] {
        try await questions(of: [form])
    }

    /// The questions of several forms, in one statement, each once, in the order the forms ask them.
    func questions(of forms: [FeedbackForm]) async throws -> [FeedbackQuestion] {
        let ids = forms.flatMap(\.questions)
        let found = try await Records(db: db.sql).list(FeedbackQuestion.self, among: ("id", Array(Set(ids))))
        let byId = Dictionary(found.map { ($0.id, $0) }) { a, _ in a }
        var seen = Set<UUID>()
        return ids.compactMap { id in seen.insert(id).inserted ? byId[id] : nil }
    }

    /// Keeps a submission; an entry typed from paper leaves an audit entry saying who typed it (never what it said).
    func keep(_ submission: FeedbackSubmission, for form: FeedbackForm, enteredBy: Author?) async throws {
        let stored = StoredSubmission(
            id: UUID(), formId: form.id, channel: submission.channel.rawValue, receivedOn: clock.today)
        let answers = submission.answers.map {
            StoredAnswer(
                id: UUID(), submissionId: stored.id, questionId: $0.questionId, likert: $0.likert, text: $0.text)
        }
        try await db.writeTransaction { tx in
            try await tx.sql.insert(into: "feedback_submissions").model(stored, with: Records.encoder).run()
            try await tx.sql.insert(into: "feedback_answers").models(answers, with: Records.encoder).run()
            if let enteredBy {
                try await AuditLog.append(
                    on: tx.sql, enteredBy, "enter_paper_feedback", RecordKind.feedbackForm.rawValue,
                    recordId: form.id.uuidString)
            }
        }
    }

    func submissions(of form: FeedbackForm) async throws -> [FeedbackSubmission] {
        try await submissions(of: [form])[form.id] ?? []
    }

    /// The submissions of several forms, read in one statement, by form.
    func submissions(of forms: [FeedbackForm]) async throws -> [UUID: [FeedbackSubmission]] {
        guard !forms.isEmpty else { return [:] }
        let rows = try await db.sql.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("a")))
            .column(SQLColumn("channel", table: "s")).column(SQLColumn("form_id", table: "s"))
            .from(SQLAlias(SQLIdentifier("feedback_answers"), as: SQLIdentifier("a")))
            .join(
                SQLAlias(SQLIdentifier("feedback_submissions"), as: SQLIdentifier("s")),
                on: SQLColumn("submission_id", table: "a"), .equal,
                SQLColumn("id", table: "s")
            )
            .where(SQLColumn("form_id", table: "s"), in: forms.map(\.id)).all()
        var bySubmission: [UUID: (form: UUID, channel: String, answers: [FeedbackSubmission.Answer])] = [:]
        for row in rows {
            let answer = try row.decode(model: StoredAnswer.self, with: Records.decoder)
            let channel = try row.decode(column: "channel", as: String.self)
            let form = try row.decode(column: "form_id", as: UUID.self)
            bySubmission[answer.submissionId, default: (form, channel, [])].answers.append(
                FeedbackSubmission.Answer(questionId: answer.questionId, likert: answer.likert, text: answer.text))
        }
        var byForm: [UUID: [FeedbackSubmission]] = [:]
        for submission in bySubmission.values {
            byForm[submission.form, default: []].append(
                FeedbackSubmission(channel: .init(rawValue: submission.channel) ?? .online, answers: submission.answers)
            )
        }
        return byForm
    }

    func results(of form: FeedbackForm, policy: DisclosurePolicy, audience: Audience) async throws -> FeedbackResults {
        FeedbackResults(
            questions: try await questions(of: form), submissions: try await submissions(of: form), policy: policy,
            audience: audience)
    }
}
