import Foundation

/// A record whose free text will be read by the public, and so must pass the identifier guard first.
/// A theme the analysis found ("Housing is out of reach"), built from codes, in one section of the
/// summary (strengths, issues, needs…), linked to what the plan does about it: "You said, we did".
public struct Theme: Record {
    public static let kind = RecordKind.theme
    public static let path = "themes"
    public static var listOrder: [PartialKeyPath<Theme>] { [\.consultationId, \.section, \.nameEn] }
    public static let blank = Theme(id: .none, consultationId: .none, section: "", nameEn: "")
    public static let fields: [Field<Theme>] = [
        .reference(\.consultationId, .consultation),
        .choice(\.section, .consultationTopics),
        .text(\.nameEn, max: 300),
        .text(\.nameFr, max: 300),
        .references(\.codeIds, .thematicCode),
        .reference(\.priorityId, .priority),
        .reference(\.recommendationId, .recommendation),
        .references(\.actionItemIds, .actionItem),
        .longText(\.weDidEn),
        .longText(\.weDidFr),
        .flag(\.published, default: false),
    ]
    public var id: UUID
    public var consultationId: UUID
    public var section: String
    public var nameEn: String
    public var nameFr: String?
    public var codeIds: TagSet?
    public var priorityId: UUID?
    public var recommendationId: UUID?
    public var actionItemIds: TagSet?
    public var weDidEn: String?
    public var weDidFr: String?
    public var published: Bool

    public init(
        id: UUID = UUID(), consultationId: UUID, section: String, nameEn: String, nameFr: String? = nil,
        codeIds: [UUID] = [],
        priorityId: UUID? = nil, recommendationId: UUID? = nil, actionItemIds: [UUID] = [], weDidEn: String? = nil,
        weDidFr: String? = nil,
        published: Bool = false
    ) {
        self.id = id
        self.consultationId = consultationId
        self.section = section
        self.nameEn = nameEn
        self.nameFr = nameFr
        self.codeIds = codeIds.isEmpty ? nil : TagSet(codeIds.map(\.uuidString))
        self.actionItemIds = actionItemIds.isEmpty ? nil : TagSet(actionItemIds.map(\.uuidString))
        self.priorityId = priorityId
        self.recommendationId = recommendationId
        self.weDidEn = weDidEn
        self.weDidFr = weDidFr
        self.published = published
    }

    public var codes: [UUID] { (codeIds?.codes ?? []).compactMap(UUID.init(uuidString:)) }
    public var actionItems: [UUID] { (actionItemIds?.codes ?? []).compactMap(UUID.init(uuidString:)) }

    public func ruleProblems() -> [FieldProblem] {
        published && (weDidEn ?? "").isEmpty ? [FieldProblem("weDidEn", "error_publish_needs_we_did")] : []
    }
}

extension Theme {
    public var checkedTexts: [String: String?] { ["weDidEn": weDidEn, "weDidFr": weDidFr] }
}

/// Words a participant said that show a theme, for the summary and the public page. The guard reads
/// them before they are kept, so no name, address or date of birth reaches a published page.
public struct IllustrativeQuote: Record {
    public static let kind = RecordKind.illustrativeQuote
    public static let path = "quotes"
    public static let table = "illustrative_quotes"
    public static var listOrder: [PartialKeyPath<IllustrativeQuote>] { [\.themeId] }
    public static let blank = IllustrativeQuote(id: .none, themeId: .none, text: "")
    public static let fields: [Field<IllustrativeQuote>] = [
        .reference(\.themeId, .theme),
        .longText(\.text),
        .flag(\.published, default: false),
    ]
    public var id: UUID
    public var themeId: UUID
    public var text: String
    public var published: Bool

    public init(id: UUID = UUID(), themeId: UUID, text: String, published: Bool = false) {
        self.id = id
        self.themeId = themeId
        self.text = text
        self.published = published
    }

    public var checkedTexts: [String: String?] { ["text": text] }
}

/// One excerpt of one answer, coded by one coder with one code. `start` and `length` count characters.
public struct Coding: Codable, Sendable, Equatable {
    public var id: UUID
    public var answerId: UUID
    public var codeId: UUID
    public var coderId: UUID
    public var start: Int
    public var length: Int
    public var excerpt: String

    public init(
        id: UUID = UUID(), answerId: UUID, codeId: UUID, coderId: UUID, start: Int, length: Int, excerpt: String
    ) {
        self.id = id
        self.answerId = answerId
        self.codeId = codeId
        self.coderId = coderId
        self.start = start
        self.length = length
        self.excerpt = excerpt
    }

    /// The coding of `selected` within an answer's text: the selection's offsets where the browser sent
    /// them and they still point at those words, else the first place the words occur; the whole answer
    /// when nothing was selected. Nil when the words are not in the answer.
    public static func excerpt(_ selected: String, in text: String, at start: Int? = nil) -> (
        start: Int, length: Int, excerpt: String
    )? {
        let words = selected.trimmingCharacters(in: .whitespacesAndNewlines)
        if words.isEmpty { return (0, text.count, text) }
        let characters = Array(text)
        let wanted = Array(words)
        if let start, start >= 0, start + wanted.count <= characters.count,
            Array(characters[start..<start + wanted.count]) == wanted
        {
            return (start, wanted.count, words)
        }
        guard let range = text.range(of: words) else { return nil }
        return (text.distance(from: text.startIndex, to: range.lowerBound), wanted.count, words)
    }
}

/// How far two coders agree. The units are the answers both have finished; on each, for each code, each
/// coder either applied it or not. Cohen's kappa on those yes/no labels is given for all codes together,
/// for each question (codes together) and for each code (questions together). A rare code can agree on
/// nearly every answer and still have a low kappa (the prevalence index says how rare); PABAK, the kappa
/// with prevalence and bias adjusted away, is given beside it.
public struct CodingAgreement: Sendable, Equatable {
    public let coders: [UUID]
    /// Answers both finished.
    public let answers: Int
    public let overall: CohensKappa
    public let byQuestion: [UUID: CohensKappa]
    public let byCode: [UUID: CohensKappa]

    /// Each pair of coders who have finished an answer in common.
    /// - Parameters:
    ///   - questions: each answer's question.
    public static func pairs(_ codings: [Coding], finished: [UUID: Set<UUID>], questions: [UUID: UUID], codes: [UUID])
        -> [CodingAgreement]
    {
        let applied = Set(codings.map { Applied(coder: $0.coderId, answer: $0.answerId, code: $0.codeId) })
        let coders = finished.keys.sorted { $0.uuidString < $1.uuidString }
        var out: [CodingAgreement] = []
        for (i, a) in coders.enumerated() {
            for b in coders[(i + 1)...] {
                let units = finished[a]!.intersection(finished[b]!).sorted { $0.uuidString < $1.uuidString }
                guard !units.isEmpty else { continue }
                func labels(_ answers: [UUID], _ codes: [UUID]) -> [(Bool, Bool)] {
                    answers.flatMap { answer in
                        codes.map { code in
                            (
                                applied.contains(Applied(coder: a, answer: answer, code: code)),
                                applied.contains(Applied(coder: b, answer: answer, code: code))
                            )
                        }
                    }
                }
                let byQuestion = Dictionary(grouping: units) { questions[$0] }.compactMap { question, answers in
                    question.map { ($0, CohensKappa(applied: labels(answers, codes))) }
                }
                out.append(
                    CodingAgreement(
                        coders: [a, b], answers: units.count, overall: CohensKappa(applied: labels(units, codes)),
                        byQuestion: Dictionary(uniqueKeysWithValues: byQuestion),
                        byCode: Dictionary(
                            uniqueKeysWithValues: codes.map { ($0, CohensKappa(applied: labels(units, [$0]))) })))
            }
        }
        return out
    }

    private struct Applied: Hashable {
        let coder: UUID
        let answer: UUID
        let code: UUID
    }
}

/// How a coder used the codebook: the answers they finished and how many they applied each code to.
public struct CodeUse: Sendable, Equatable {
    public let coder: UUID
    public let answers: Int
    public let byCode: [UUID: Int]

    public static func of(_ codings: [Coding], finished: [UUID: Set<UUID>]) -> [CodeUse] {
        let coders = Set(finished.keys).union(codings.map(\.coderId)).sorted { $0.uuidString < $1.uuidString }
        return coders.map { coder in
            let mine = codings.filter { $0.coderId == coder }
            let answersByCode = Dictionary(grouping: mine, by: \.codeId).mapValues { Set($0.map(\.answerId)).count }
            return CodeUse(coder: coder, answers: finished[coder]?.count ?? 0, byCode: answersByCode)
        }
    }
}

/// How often each theme came up: the responses with at least one excerpt coded with one of its codes or
/// a code beneath them (each response once, however many coders or excerpts), overall, by method and by
/// the audience groups the method reached. The database counts (see `codePairs`); this adds up its tallies.
public struct ThemeFrequency: Codable, Sendable, Equatable {
    /// What the database counted for one theme under one method (nil: responses imported without one).
    public struct Tally: Sendable, Equatable {
        public let themeId: UUID
        public let methodId: UUID?
        public let responses: Int
        public let excerpts: Int
        public init(themeId: UUID, methodId: UUID?, responses: Int, excerpts: Int) {
            self.themeId = themeId
            self.methodId = methodId
            self.responses = responses
            self.excerpts = excerpts
        }
    }

    public let themeId: UUID
    public let responses: Int
    public let excerpts: Int
    /// Keyed by method id; responses imported without a method are under "none".
    public let byMethod: [String: Int]
    /// Keyed by audience-group code.
    public let byAudienceGroup: [String: Int]

    /// Each theme with every code that counts for it: its own codes and the codes beneath them, each once.
    public static func codePairs(_ themes: [Theme], codebook: Codebook) -> [(theme: UUID, code: UUID)] {
        themes.flatMap { theme in
            theme.codes.reduce(into: Set<UUID>()) { $0.formUnion(codebook.subtree($1)) }.sorted {
                $0.uuidString < $1.uuidString
            }.map { (theme.id, $0) }
        }
    }

    /// Adds up the per-method tallies. A response comes under one method, so the distinct responses of a
    /// theme are the sum over its methods, and an audience group's the sum over the methods that reached it.
    public static func combine(_ themes: [Theme], tallies: [Tally], audienceGroups: [UUID: [String]])
        -> [ThemeFrequency]
    {
        let byTheme = Dictionary(grouping: tallies, by: \.themeId)
        return themes.map { theme in
            let found = byTheme[theme.id] ?? []
            var byMethod: [String: Int] = [:], byGroup: [String: Int] = [:]
            for tally in found {
                byMethod[tally.methodId?.uuidString ?? "none", default: 0] += tally.responses
                for group in tally.methodId.flatMap({ audienceGroups[$0] }) ?? [] {
                    byGroup[group, default: 0] += tally.responses
                }
            }
            return ThemeFrequency(
                themeId: theme.id, responses: found.map(\.responses).reduce(0, +),
                excerpts: found.map(\.excerpts).reduce(0, +), byMethod: byMethod,
                byAudienceGroup: byGroup)
        }
    }
}
