import Foundation

/// A consultation told the way seed 000's slides tell it: who was heard and how, the key strengths, the
/// pressing issues grouped under their themes, and the priority areas with the actions they lead to.
/// The public edition ("You said, we did") keeps only published themes and quotes, and passes every
/// count through the `DisclosurePolicy`.
public struct ConsultationSummary: Codable, Sendable, Equatable {
    public struct MethodLine: Codable, Sendable, Equatable {
        public let method: String
        public let sessions: Int?
        public let participants: Int?
        public let audienceGroups: [String]
        public let responses: Int
        public let notes: String?
    }

    public struct ThemeLine: Codable, Sendable, Equatable {
        public let themeId: UUID
        public let section: String
        public let name: String
        /// Responses that raised it; nil when withheld as too few to publish.
        public let responses: Int?
        /// The codes it gathers, by name: how an issue breaks down.
        public let codes: [String]
        public let quotes: [String]
        public let weDid: String?
    }

    public struct PriorityLine: Codable, Sendable, Equatable {
        public let priorityId: UUID
        public let title: String
        public let themes: [String]
        public let actions: [String]
    }

    public let title: String
    public let purpose: String?
    public let methods: [MethodLine]
    public let participants: Int
    /// Themes by section code (strengths, issues, needs, coordination, priorities, other), most raised first.
    public let sections: [String: [ThemeLine]]
    public let priorities: [PriorityLine]
    /// Whether some count was withheld as too small to publish.
    public let withheld: Bool

    public init(
        _ consultation: Consultation, methods: [ConsultationMethod], responsesByMethod: [UUID: Int], themes: [Theme],
        frequencies: [ThemeFrequency],
        codebook: Codebook, quotes: [IllustrativeQuote], priorities: [PriorityRiskArea], actionItems: [ActionItem],
        language: Language,
        publicEdition: DisclosurePolicy? = nil
    ) {
        let fr = language == .fr
        title = consultation.title(language)
        purpose = (fr ? consultation.purposeFr : nil) ?? consultation.purposeEn
        self.methods = methods.map {
            MethodLine(
                method: $0.method, sessions: $0.sessions, participants: $0.participants,
                audienceGroups: $0.audienceGroups?.codes ?? [],
                responses: responsesByMethod[$0.id] ?? 0, notes: $0.notesEn)
        }
        participants = methods.compactMap(\.participants).reduce(0, +)
        let shown = themes.filter { publicEdition == nil || $0.published }
        let count = Dictionary(uniqueKeysWithValues: frequencies.map { ($0.themeId, $0.responses) })
        var withheld = false
        let lines = shown.map { theme -> ThemeLine in
            var responses: Int? = count[theme.id] ?? 0
            if let policy = publicEdition {
                responses = policy.figure(responses!, n: responses!, for: .publicRelease)
                withheld = withheld || responses == nil
            }
            // A theme made of one code of its own name lists nothing beneath it.
            let codeNames = theme.codes.compactMap { id in codebook.codes.first { $0.id == id } }.map {
                (fr ? $0.nameFr : nil) ?? $0.nameEn
            }
            .filter { $0 != theme.title(language) }
            let said = quotes.filter { $0.themeId == theme.id && (publicEdition == nil || $0.published) }.map(\.text)
            return ThemeLine(
                themeId: theme.id, section: theme.section, name: theme.title(language), responses: responses,
                codes: codeNames, quotes: said,
                weDid: (fr ? theme.weDidFr : nil) ?? theme.weDidEn)
        }
        sections = Dictionary(grouping: lines, by: \.section).mapValues { list in
            list.sorted { ($0.responses ?? 0, $1.name) > ($1.responses ?? 0, $0.name) }
        }
        self.withheld = withheld
        let actionTitles = Dictionary(uniqueKeysWithValues: actionItems.map { ($0.id, $0.title(language)) })
        self.priorities = priorities.compactMap { priority in
            let linked = shown.filter { $0.priorityId == priority.id }
            guard !linked.isEmpty else { return nil }
            var seen = Set<UUID>()
            let actions = linked.flatMap(\.actionItems).filter { seen.insert($0).inserted }.compactMap {
                actionTitles[$0]
            }
            return PriorityLine(
                priorityId: priority.id, title: priority.title(language), themes: linked.map { $0.title(language) },
                actions: actions)
        }
    }

    /// The sections in the order the slides give them.
    public static let sectionOrder = ["strengths", "issues", "needs", "coordination", "priorities", "other"]
}
