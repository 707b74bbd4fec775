import Foundation

/// A consultation of the plan: its purpose, the methods it used, the questions it asked.
public struct Consultation: Record {
    public static let kind = RecordKind.consultation
    public static let path = "consultations"
    public static var listOrder: [PartialKeyPath<Consultation>] { [\.startsOn, \.titleEn] }
    public static let blank = Consultation(id: .none, planId: .none, titleEn: "")
    public static let fields: [Field<Consultation>] = [
        .reference(\.planId, .plan),
        .text(\.titleEn, max: 300),
        .text(\.titleFr, max: 300),
        .longText(\.purposeEn),
        .longText(\.purposeFr),
        .day(\.startsOn),
        .day(\.endsOn),
        .flag(\.codesRevealed, default: false),
    ]
    public var id: UUID
    public var planId: UUID
    public var titleEn: String
    public var titleFr: String?
    public var purposeEn: String?
    public var purposeFr: String?
    public var startsOn: Day?
    public var endsOn: Day?
    /// Whether every coder sees every coding (see `BlindCoding`); the lead reveals them to settle differences.
    public var codesRevealed: Bool

    public init(
        id: UUID = UUID(), planId: UUID, titleEn: String, titleFr: String? = nil, purposeEn: String? = nil,
        purposeFr: String? = nil,
        startsOn: Day? = nil, endsOn: Day? = nil, codesRevealed: Bool = false
    ) {
        self.id = id
        self.planId = planId
        self.titleEn = titleEn
        self.titleFr = titleFr
        self.purposeEn = purposeEn
        self.purposeFr = purposeFr
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.codesRevealed = codesRevealed
    }

    public func ruleProblems() -> [FieldProblem] {
        if let startsOn, let endsOn, endsOn < startsOn { return [FieldProblem("endsOn", "error_ends_before_start")] }
        return []
    }
}

/// One way a consultation heard people: a survey, focus groups, interviews…, with how many took part and who.
public struct ConsultationMethod: Record {
    public static let kind = RecordKind.consultationMethod
    public static let path = "consultation-methods"
    public static var listOrder: [PartialKeyPath<ConsultationMethod>] { [\.consultationId, \.method] }
    public static let blank = ConsultationMethod(id: .none, consultationId: .none, method: "")
    public static let fields: [Field<ConsultationMethod>] = [
        .reference(\.consultationId, .consultation),
        .choice(\.method, .consultationMethods),
        .integer(\.sessions, 1...10_000),
        .integer(\.participants, 0...10_000_000),
        .tags(\.audienceGroups, .audienceGroups),
        .day(\.heldOn),
        .longText(\.notesEn),
    ]
    public var id: UUID
    public var consultationId: UUID
    public var method: String
    public var sessions: Int?
    public var participants: Int?
    public var audienceGroups: TagSet?
    public var heldOn: Day?
    public var notesEn: String?

    public init(
        id: UUID = UUID(), consultationId: UUID, method: String, sessions: Int? = nil, participants: Int? = nil,
        audienceGroups: TagSet? = nil,
        heldOn: Day? = nil, notesEn: String? = nil
    ) {
        self.id = id
        self.consultationId = consultationId
        self.method = method
        self.sessions = sessions
        self.participants = participants
        self.audienceGroups = audienceGroups
        self.heldOn = heldOn
        self.notesEn = notesEn
    }
}

/// A question a consultation asked, under a topic; `code` ties it to a survey tool's column.
public struct ConsultationQuestion: Record {
    public static let kind = RecordKind.consultationQuestion
    public static let path = "consultation-questions"
    public static var listOrder: [PartialKeyPath<ConsultationQuestion>] { [\.consultationId, \.code] }
    public static let blank = ConsultationQuestion(id: .none, consultationId: .none, code: "", textEn: "")
    public static let fields: [Field<ConsultationQuestion>] = [
        .reference(\.consultationId, .consultation),
        .text(\.code, max: 200),
        .choice(\.topic, .consultationTopics),
        .code(\.questionKind),
        .longText(\.textEn),
        .longText(\.textFr),
    ]
    public var id: UUID
    public var consultationId: UUID
    public var code: String
    public var topic: String?
    public var questionKind: QuestionKind?
    public var textEn: String
    public var textFr: String?

    public init(
        id: UUID = UUID(), consultationId: UUID, code: String, topic: String? = nil, questionKind: QuestionKind? = nil,
        textEn: String,
        textFr: String? = nil
    ) {
        self.id = id
        self.consultationId = consultationId
        self.code = code
        self.topic = topic
        self.questionKind = questionKind
        self.textEn = textEn
        self.textFr = textFr
    }

    public func ownTitle(_ language: Language) -> String? { (language == .fr ? textFr : nil) ?? textEn }
}

/// How a question is answered: the code list `question_kinds`.
public enum QuestionKind: String, LogicCode {
    public static let list = CodeList.questionKinds

    case freeText = "free_text"
    case likert, choice
}
