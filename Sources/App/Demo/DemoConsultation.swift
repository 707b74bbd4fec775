import Fluent
import Foundation
import Vapor
import WellplanCore

/// Seed 000's consultation, analysed: 100 synthetic survey responses (three open questions on strengths,
/// worries and needs), a codebook, two coders (the coordinator codes every answer, the member the first 30
/// responses' answers, mostly alike), themes linked to the plan, quotes, and a published "You said, we did".
extension DemoRegion {
    static let surveyQuestions = [
        ("Q1", "What is working well for safety in your neighbourhood?"),
        ("Q2", "What worries you most about safety where you live?"),
        ("Q3", "What would help you and your family feel safer?"),
    ]

    /// Answer fragments with the code a coder gives them: (words, code path).
    static let answerFragments: [[(String, String)]] = [
        [
            ("Neighbours look out for each other", "Strengths > Neighbours"),
            ("the police are visible downtown", "Strengths > Police presence"),
            ("the community events bring people together", "Strengths > Community events"),
            ("the library and the youth centre are open late", "Strengths > Community events"),
        ],
        [
            ("drug use in the parks", "Issues > Substance use"),
            ("people exploited and trafficked through the motels", "Issues > Human trafficking"),
            ("violence at home that nobody talks about", "Issues > Intimate partner violence"),
            ("dark streets near the plaza", "Issues > Lighting"),
            ("overdoses in the downtown core", "Issues > Substance use"),
        ],
        [
            ("knowing where to get help", "Needs > Information"),
            ("more programs for youth after school", "Needs > Youth programs"),
            ("mental health and addictions support close to home", "Needs > Mental health supports"),
            ("a safety plan for our town", "Needs > Information"),
        ],
    ]

    static let demoCodebook = """
        path,name_fr,description
        Strengths,Forces,What residents say works
        Strengths > Neighbours,Voisins,
        Strengths > Police presence,Présence policière,
        Strengths > Community events,Événements communautaires,
        Issues,Enjeux,What residents worry about
        Issues > Substance use,Consommation de substances,
        Issues > Human trafficking,Traite de personnes,
        Issues > Intimate partner violence,Violence entre partenaires intimes,
        Issues > Lighting,Éclairage,
        Needs,Besoins,What would help
        Needs > Information,Information,
        Needs > Youth programs,Programmes pour les jeunes,
        Needs > Mental health supports,Soutien en santé mentale,
        """

    /// One response's answers: fragments chosen by the response's number, so the demo is the same each time.
    static func surveyAnswers(_ n: Int) -> [String] {
        answerFragments.enumerated().map { q, fragments in
            let first = fragments[(n * (q + 1) + n / 7) % fragments.count].0
            let second = fragments[(n * 3 + q * 5 + 1) % fragments.count].0
            return n % 3 == 0 || first == second
                ? first.prefix(1).uppercased() + first.dropFirst() + "."
                : first.prefix(1).uppercased() + first.dropFirst() + ", and " + second + "."
        }
    }

    static func loadConsultationAnalysis(_ app: Application, _ w: RecordWriter, plan: UUID, coders: [UUID]) async throws
    {
        let store = Records(db: app.db.sql)
        guard
            let consultation = try await store.list(Consultation.self, filters: ["planId": plan]).first(where: {
                $0.titleEn.hasPrefix("Leamington")
            }),
            let survey = try await store.list(ConsultationMethod.self, filters: ["consultationId": consultation.id])
                .first(where: { $0.method == "survey" })
        else { return }
        // As LimeSurvey exports it ("code. question" headers), so each response keeps its number.
        var csv =
            "id. Response ID,submitdate. Date submitted,"
            + surveyQuestions.map { "\($0.0). \($0.1)" }.joined(separator: ",") + "\n"
        for n in 1...100 {
            csv +=
                "\(n),2025-10-\(String(format: "%02d", 6 + n % 20)) 10:00,"
                + surveyAnswers(n).map { "\"\($0)\"" }.joined(separator: ",") + "\n"
        }
        _ = try await ResponseImports(db: app.db, author: w.author).run(
            consultation, method: survey.id, csv: Data(csv.utf8), store: app.settings.store)
        let codings = Codings(db: app.db, author: w.author)
        _ = try await codings.importCodebook(consultation.id, data: Data(demoCodebook.utf8))
        let book = try await codings.codebook(consultation.id)
        let codeByPath = Dictionary(
            uniqueKeysWithValues: book.outline.map { ($0.path.joined(separator: Codebook.pathSeparator), $0.code.id) })
        let fragments = answerFragments.flatMap { $0 }
        let answers = try await codings.answers(consultation.id, question: nil, page: 1, per: 1_000).answers
        let sourceKeys = try await app.db.sql.select().columns("id", "source_key").from("consultation_responses").all()
            .reduce(into: [UUID: Int]()) {
                $0[try $1.decode(column: "id", as: UUID.self)] = Int(
                    try $1.decode(column: "source_key", as: String.self))
            }
        for answer in answers {
            let number = sourceKeys[answer.responseId] ?? 0
            for (fragment, path) in fragments {
                guard let found = answer.text.range(of: fragment, options: .caseInsensitive),
                    let code = codeByPath[path]
                else { continue }
                let words = String(answer.text[found])
                _ = try await codings.add(
                    consultation, answer: answer.id, code: code, selected: words, start: nil, coder: coders[0])
                // The second coder reads the first 30 responses and, on every fifth, hears "Lighting" as a wider "Issues".
                if number <= 30 {
                    let second = number % 5 == 0 && path == "Issues > Lighting" ? codeByPath["Issues"]! : code
                    _ = try await codings.add(
                        consultation, answer: answer.id, code: second, selected: words, start: nil, coder: coders[1])
                }
            }
            // Each coder finishes what they read: the first every answer, the second the first 30 responses.
            try await codings.finish(consultation, answer: answer.id, coder: coders[0])
            if number <= 30 { try await codings.finish(consultation, answer: answer.id, coder: coders[1]) }
        }
        let priorities = try await store.list(PriorityRiskArea.self, filters: ["planId": plan])
        let steps = try await store.list(ActionItem.self)
        func step(_ prefix: String) -> [UUID] { steps.filter { $0.descriptionEn.hasPrefix(prefix) }.map(\.id) }
        let themes: [(Theme, [String])] = [
            (
                Theme(
                    consultationId: consultation.id, section: "strengths",
                    nameEn: "Neighbours and events hold the community together",
                    nameFr: "Les voisins et les événements soudent la communauté",
                    codeIds: [codeByPath["Strengths > Neighbours"]!, codeByPath["Strengths > Community events"]!],
                    weDidEn: "Three community events in 2025, where 82 safety plans were handed out.",
                    weDidFr: "Trois événements communautaires en 2025, où 82 plans de sécurité ont été remis.",
                    published: true),
                ["Neighbours look out for each other."]
            ),
            (
                Theme(
                    consultationId: consultation.id, section: "issues", nameEn: "Substance use and overdoses",
                    nameFr: "Consommation et surdoses",
                    codeIds: [codeByPath["Issues > Substance use"]!],
                    priorityId: priorities.first { $0.number == 1 }?.id,
                    actionItemIds: step("Host five additional workshops"),
                    weDidEn:
                        "A trauma-informed care workshop trained 28 first responders and service providers; five more are planned.",
                    weDidFr:
                        "Un atelier sur les soins tenant compte des traumatismes a formé 28 premiers intervenants; cinq autres sont prévus.",
                    published: true),
                ["Overdoses in the downtown core."]
            ),
            (
                Theme(
                    consultationId: consultation.id, section: "issues", nameEn: "Hidden violence and exploitation",
                    nameFr: "Violence cachée et exploitation",
                    codeIds: [
                        codeByPath["Issues > Human trafficking"]!, codeByPath["Issues > Intimate partner violence"]!,
                    ],
                    priorityId: priorities.first { $0.number == 2 }?.id, actionItemIds: step("Finalize and distribute"),
                    weDidEn:
                        "The Leamington and Essex safety plans cover human trafficking and intimate partner violence.",
                    weDidFr:
                        "Les plans de sécurité de Leamington et d'Essex traitent de la traite de personnes et de la violence entre partenaires intimes.",
                    published: true),
                ["Violence at home that nobody talks about."]
            ),
            (
                Theme(
                    consultationId: consultation.id, section: "issues", nameEn: "Dark streets", nameFr: "Rues sombres",
                    codeIds: [codeByPath["Issues > Lighting"]!],
                    priorityId: priorities.first { $0.number == 2 }?.id),
                []
            ),
            (
                Theme(
                    consultationId: consultation.id, section: "needs", nameEn: "Knowing where to get help",
                    nameFr: "Savoir où obtenir de l'aide",
                    codeIds: [codeByPath["Needs > Information"]!],
                    actionItemIds: step("Promote Leamington and Essex safety plans"),
                    weDidEn: "Safety plans for Leamington and Essex, to be distributed at community events.",
                    weDidFr:
                        "Des plans de sécurité pour Leamington et Essex, à distribuer lors d'événements communautaires.",
                    published: true),
                ["Knowing where to get help, and a safety plan for our town."]
            ),
            (
                Theme(
                    consultationId: consultation.id, section: "needs", nameEn: "Support close to home",
                    nameFr: "Du soutien près de chez soi",
                    codeIds: [codeByPath["Needs > Youth programs"]!, codeByPath["Needs > Mental health supports"]!]),
                []
            ),
        ]
        for (theme, quotes) in themes {
            try await w.create(theme)
            for quote in quotes {
                try await w.create(IllustrativeQuote(themeId: theme.id, text: quote, published: true))
            }
        }
    }
}
