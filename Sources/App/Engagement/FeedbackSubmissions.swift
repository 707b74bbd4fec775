import Fluent
import Foundation
import SQLKit
import WellplanCore

/// Where filled feedback forms are kept, and their results read back.
struct FeedbackSubmissions {
    let db: any Database
    /// The day a submission is received on.
    var clock = Clock.system

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
        let store = Records(db: db.sql)
        var out: [FeedbackQuestion] = []
        for id in form.questions { if let q = try await store.find(FeedbackQuestion.self, id) { out.append(q) } }
        return out
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
        let rows = try await db.sql.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("a"))).column(
            SQLColumn("channel", table: "s")
        )
        .from(SQLAlias(SQLIdentifier("feedback_answers"), as: SQLIdentifier("a")))
        .join(
            SQLAlias(SQLIdentifier("feedback_submissions"), as: SQLIdentifier("s")),
            on: SQLColumn("submission_id", table: "a"), .equal,
            SQLColumn("id", table: "s")
        )
        .where(SQLColumn("form_id", table: "s"), .equal, SQLBind(form.id)).all()
        var bySubmission: [UUID: (channel: String, answers: [FeedbackSubmission.Answer])] = [:]
        for row in rows {
            let answer = try row.decode(model: StoredAnswer.self, with: Records.decoder)
            let channel = try row.decode(column: "channel", as: String.self)
            bySubmission[answer.submissionId, default: (channel, [])].answers.append(
                FeedbackSubmission.Answer(questionId: answer.questionId, likert: answer.likert, text: answer.text))
        }
        return bySubmission.values.map {
            FeedbackSubmission(channel: .init(rawValue: $0.channel) ?? .online, answers: $0.answers)
        }
    }

    func results(of form: FeedbackForm, policy: DisclosurePolicy, audience: Audience) async throws -> FeedbackResults {
        FeedbackResults(
            questions: try await questions(of: form), submissions: try await submissions(of: form), policy: policy,
            audience: audience)
    }
}
