import Foundation

/// A question of the reusable feedback bank: an agreement statement ("I feel more confident supporting
/// safety related to substance use after this session") or an open question.
public struct FeedbackQuestion: Record {
    public static let kind = RecordKind.feedbackQuestion
    public static let path = "feedback-questions"
    public static var listOrder: [PartialKeyPath<FeedbackQuestion>] { [\.questionKind, \.textEn] }
    public static let blank = FeedbackQuestion(id: .none, questionKind: .freeText, textEn: "")
    public static let fields: [Field<FeedbackQuestion>] = [
        .code(\.questionKind),
        .longText(\.textEn),
        .longText(\.textFr),
    ]
    public var id: UUID
    public var questionKind: QuestionKind
    public var textEn: String
    public var textFr: String?

    public init(id: UUID = UUID(), questionKind: QuestionKind, textEn: String, textFr: String? = nil) {
        self.id = id
        self.questionKind = questionKind
        self.textEn = textEn
        self.textFr = textFr
    }

    public var isLikert: Bool { questionKind == .likert }

    public func ruleProblems() -> [FieldProblem] {
        [.likert, .freeText].contains(questionKind)
            ? [] : [FieldProblem("questionKind", "error_feedback_question_kind")]
    }

    public func ownTitle(_ language: Language) -> String? { (language == .fr ? textFr : nil) ?? textEn }
}

/// A short form for one event, from questions of the bank, filled anonymously through its public link
/// (or QR code) while it is open, or typed in from paper by the event's organizers.
public struct FeedbackForm: Record {
    public static let kind = RecordKind.feedbackForm
    public static let path = "feedback-forms"
    public static var listOrder: [PartialKeyPath<FeedbackForm>] { [\.eventId, \.titleEn] }
    public static let blank = FeedbackForm(id: .none, eventId: .none, titleEn: "", questions: [])
    public var owner: Owner { .event(eventId) }
    public static let fields: [Field<FeedbackForm>] = [
        .reference(\.eventId, .event),
        .text(\.titleEn, max: 300),
        .text(\.titleFr, max: 300),
        .references(\.questionIds, .feedbackQuestion),
        .flag(\.open, default: true),
    ]
    public var id: UUID
    public var eventId: UUID
    public var titleEn: String
    public var titleFr: String?
    public var questionIds: TagSet
    public var open: Bool

    public init(
        id: UUID = UUID(), eventId: UUID, titleEn: String, titleFr: String? = nil, questions: [UUID], open: Bool = true
    ) {
        self.id = id
        self.eventId = eventId
        self.titleEn = titleEn
        self.titleFr = titleFr
        self.open = open
        questionIds = TagSet(questions.map(\.uuidString))
    }

    public var questions: [UUID] { questionIds.codes.compactMap(UUID.init(uuidString:)) }

    public func ruleProblems() -> [FieldProblem] {
        questionIds.isEmpty ? [FieldProblem("questionIds", "error_required")] : []
    }
}

/// One person's filled form. Likert answers run from 1 (strongly disagree) to 5 (strongly agree).
public struct FeedbackSubmission: Codable, Sendable, Equatable {
    public enum Channel: String, Codable, Sendable { case online, paper }
    public struct Answer: Codable, Sendable, Equatable {
        public let questionId: UUID
        public let likert: Int?
        public let text: String?

        public init(questionId: UUID, likert: Int?, text: String?) {
            self.questionId = questionId
            self.likert = likert
            self.text = text
        }
    }

    public let channel: Channel
    public let answers: [Answer]

    public init(channel: Channel, answers: [Answer]) { (self.channel, self.answers) = (channel, answers) }

    public static let scale = 1...5
    public static let textLimit = 2_000

    /// From a form's fields (`q-<question id>`), checked against the form's questions: every problem
    /// named by its question; an empty form is refused, an unanswered question is simply skipped.
    public init(_ fields: [String: String], questions: [FeedbackQuestion], channel: Channel) throws(WellplanError) {
        var answers: [Answer] = []
        var problems: [FieldProblem] = []
        for question in questions {
            let name = "q-\(question.id.uuidString)"
            let value = (fields[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if value.isEmpty { continue }
            if question.isLikert {
                guard let n = Int(value), Self.scale.contains(n) else {
                    problems.append(FieldProblem(name, "error_out_of_range", ["1", "5"]))
                    continue
                }
                answers.append(Answer(questionId: question.id, likert: n, text: nil))
            } else {
                guard value.count <= Self.textLimit else {
                    problems.append(FieldProblem(name, "error_too_long", [String(Self.textLimit)]))
                    continue
                }
                answers.append(Answer(questionId: question.id, likert: nil, text: value))
            }
        }
        if !problems.isEmpty { throw .invalid(problems) }
        if answers.isEmpty { throw .invalid([FieldProblem("form", "error_feedback_empty")]) }
        self.channel = channel
        self.answers = answers
    }
}

/// A form's results: for each agreement statement the share who agreed or strongly agreed, with n; for
/// each open question how many answered. Shares go through the `DisclosurePolicy`: a share of too few
/// people is withheld, since with n it could tell what one person answered.
public struct FeedbackResults: Codable, Sendable, Equatable {
    public struct Line: Codable, Sendable, Equatable {
        public let questionId: UUID
        public let isLikert: Bool
        /// How many answered.
        public let n: Int
        /// Agree or strongly agree; nil for open questions and when withheld.
        public let agreed: Int?
        /// Percent agreeing, rounded to a whole number; nil when withheld or nobody answered.
        public let percentAgree: Int?
        public let withheld: Bool
    }

    public let submissions: Int
    public let lines: [Line]

    public init(
        questions: [FeedbackQuestion], submissions: [FeedbackSubmission], policy: DisclosurePolicy, audience: Audience
    ) {
        self.submissions = submissions.count
        let answers = submissions.flatMap(\.answers)
        lines = questions.map { question in
            let given = answers.filter { $0.questionId == question.id }
            guard question.isLikert else {
                return Line(
                    questionId: question.id, isLikert: false, n: given.count, agreed: nil, percentAgree: nil,
                    withheld: false)
            }
            let agreed = given.filter { ($0.likert ?? 0) >= 4 }.count
            let shown = policy.figure(agreed, n: given.count, for: audience)
            let percent = shown.flatMap {
                given.isEmpty ? nil : Int((Double($0) * 100 / Double(given.count)).rounded())
            }
            return Line(
                questionId: question.id, isLikert: true, n: given.count, agreed: shown, percentAgree: percent,
                withheld: shown == nil)
        }
    }
}
