import SQLKit
import Vapor
import WellplanCore

/// What coding pages and API share: the consultation in the path, checked against the permission asked.
extension Request {
    func consultation(_ action: Action, _ subject: Subject = .record(.consultation, owningTable: nil)) async throws
        -> Consultation
    {
        try await authorize(action, subject)
        guard let id = parameters.get("id", as: UUID.self),
            let consultation = try await RecordStore(db: sql).find(Consultation.self, id)
        else { throw WellplanError.notFound("consultation") }
        return consultation
    }

    var codings: Codings { Codings(db: db, author: author) }

    /// The consultation's summary, with the methods, themes and frequencies it was made from (the page's
    /// tables read them too); the public edition withholds small counts and keeps only what was published.
    func consultationSummary(_ c: Consultation, publicEdition: Bool) async throws -> (
        summary: ConsultationSummary, methods: [ConsultationMethod], themes: [Theme], frequencies: [ThemeFrequency]
    ) {
        try await codings.summary(
            c, language: language, publicEdition: publicEdition ? application.settings.disclosure : nil)
    }
}

extension Codings {
    /// The consultation's summary and what it was made from; a public edition (with its policy) withholds
    /// small counts and keeps only what was published.
    func summary(_ c: Consultation, language: Language, publicEdition: DisclosurePolicy?) async throws -> (
        summary: ConsultationSummary, methods: [ConsultationMethod], themes: [Theme], frequencies: [ThemeFrequency]
    ) {
        let sql = db.sql
        let store = RecordStore(db: sql)
        let methods = try await store.list(ConsultationMethod.self, filters: ["consultationId": c.id])
        let themes = try await store.list(Theme.self, filters: ["consultationId": c.id])
        let quotes = try await themes.asyncFlatMap {
            try await store.list(IllustrativeQuote.self, filters: ["themeId": $0.id])
        }
        let responses = try await sql.select().column("method_id").column(
            SQLFunction("COUNT", args: SQLLiteral.all), as: "n"
        ).from("consultation_responses")
            .where("consultation_id", .equal, SQLBind(c.id)).groupBy("method_id").all()
        var byMethod: [UUID: Int] = [:]
        for row in responses {
            if let method = try row.decode(column: "method_id", as: UUID?.self) {
                byMethod[method] = try row.decode(column: "n", as: Int.self)
            }
        }
        let frequencies = try await self.frequencies(c.id, themes: themes)
        let summary = ConsultationSummary(
            c, methods: methods, responsesByMethod: byMethod, themes: themes, frequencies: frequencies,
            codebook: try await codebook(c.id), quotes: quotes,
            priorities: try await store.list(PriorityRiskArea.self, filters: ["planId": c.planId]),
            actionItems: try await Set(themes.flatMap(\.actionItems)).asyncFlatMap {
                try await store.find(ActionItem.self, $0).map { [$0] } ?? []
            },
            language: language, publicEdition: publicEdition)
        return (summary, methods, themes, frequencies)
    }
}

extension Sequence where Element: Sendable {
    func asyncFlatMap<T>(_ transform: (Element) async throws -> [T]) async throws -> [T] {
        var out: [T] = []
        for element in self { out += try await transform(element) }
        return out
    }
}

/// `/api/v1/consultations/:id/…`: the codebook, answers, codings, theme frequencies, agreement and summary.
struct CodingAPI: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let c = routes.grouped("consultations", ":id")
        c.get("codebook", use: codebook)
        c.large(.POST, "codebook", max: "10mb", use: importCodebook)
        c.get("answers", use: answers)
        c.post("answers", ":answer", "finished", use: finish)
        c.post("codings", use: code)
        c.delete("codings", ":coding", use: uncode)
        c.get("theme-frequencies", use: frequencies)
        c.get("agreement", use: agreement)
        c.get("summary", use: summary)
        routes.get("public", "consultations", ":id", use: publicSummary)
    }

    struct CodeLine: Content {
        let id: UUID
        let parentId: UUID?
        let path: String
        let depth: Int
        let nameEn: String
        let nameFr: String?
        let descriptionEn: String?
    }

    @Sendable func codebook(req: Request) async throws -> Response {
        let c = try await req.consultation(.read)
        let book = try await req.codings.codebook(c.id)
        if let file = try CodingPages.codebookFile(req, book) { return file }
        return try jsonResponse(
            book.outline.map {
                CodeLine(
                    id: $0.code.id, parentId: $0.code.parentId, path: $0.path.joined(separator: Codebook.pathSeparator),
                    depth: $0.depth,
                    nameEn: $0.code.nameEn,
                    nameFr: $0.code.nameFr, descriptionEn: $0.code.descriptionEn)
            })
    }

    @Sendable func importCodebook(req: Request) async throws -> Response {
        let c = try await req.consultation(.update)
        guard let type = req.headers.contentType, type.subType == "csv" || type.subType == "xml" else {
            throw Abort(.unsupportedMediaType)
        }
        let added = try await req.codings.importCodebook(c.id, data: Data(buffer: req.body.data ?? ByteBuffer()))
        return try jsonResponse(["added": added.count], status: .created)
    }

    struct AnswerPage: Content {
        let items: [Codings.Answer]
        let metadata: Metadata
    }

    struct Metadata: Content {
        let page: Int
        let per: Int
        let total: Int
    }

    @Sendable func answers(req: Request) async throws -> Response {
        let c = try await req.consultation(.read, .consultationCoding)
        let (page, per) = try Paging.from(req)
        let question = try CodingPages.questionParameter(req)
        let coder = try await req.actor().userId
        let (items, total) = try await req.codings.answers(c, question: question, page: page, per: per, coder: coder)
        return try jsonResponse(AnswerPage(items: items, metadata: .init(page: page, per: per, total: total)))
    }

    /// The signed-in coder has finished an answer: another coder's codings of it are shown once both have finished it.
    @Sendable func finish(req: Request) async throws -> Response {
        let c = try await req.consultation(.create, .consultationCoding)
        guard let answer = req.parameters.get("answer", as: UUID.self) else { throw WellplanError.notFound("answer") }
        try await req.codings.finish(c, answer: answer, coder: try await req.actor().userId!)
        return Response(status: .noContent)
    }

    struct CodingInput: Content {
        var answerId: UUID
        var codeId: UUID
        var excerpt: String?
        var start: Int?
    }

    @Sendable func code(req: Request) async throws -> Response {
        let c = try await req.consultation(.create, .consultationCoding)
        guard let input = try? req.content.decode(CodingInput.self) else {
            throw WellplanError.invalid([FieldProblem("body", "error_malformed")])
        }
        let coding = try await req.codings.add(
            c, answer: input.answerId, code: input.codeId, selected: input.excerpt ?? "", start: input.start,
            coder: try await req.actor().userId!)
        return try jsonResponse(coding, status: .created)
    }

    @Sendable func uncode(req: Request) async throws -> Response {
        let c = try await req.consultation(.delete, .consultationCoding)
        guard let id = req.parameters.get("coding", as: UUID.self) else { throw WellplanError.notFound("coding") }
        try await req.codings.remove(id, consultation: c, actor: try await req.actor())
        return Response(status: .noContent)
    }

    @Sendable func frequencies(req: Request) async throws -> Response {
        let c = try await req.consultation(.read)
        let themes = try await RecordStore(db: req.sql).list(Theme.self, filters: ["consultationId": c.id])
        return try jsonResponse(try await req.codings.frequencies(c.id, themes: themes))
    }

    /// One kappa as the API gives it.
    struct Kappa: Content {
        let units: Int
        let observed: Double
        let expected: Double
        let kappa: Double?
        let prevalence: Double?
        let pabak: Double?
        let rareCode: Bool

        init(_ k: CohensKappa) {
            (units, observed, expected, kappa) = (k.units, k.observed, k.expected, k.kappa)
            (prevalence, pabak, rareCode) = (k.prevalence, k.pabak, k.isRareCodeParadox)
        }
    }

    struct PairLine: Content {
        let coders: [UUID]
        let answers: Int
        let overall: Kappa
        let byQuestion: [String: Kappa]
        let byCode: [String: Kappa]
    }

    struct UseLine: Content {
        let coderId: UUID
        let answersFinished: Int
        let answersByCode: [String: Int]
    }

    struct Agreement: Content {
        let revealed: Bool
        let pairs: [PairLine]
        let coders: [UseLine]
    }

    @Sendable func agreement(req: Request) async throws -> Response {
        let c = try await req.consultation(.read)
        let (pairs, use) = try await req.codings.agreement(c)
        func keyed(_ kappas: [UUID: CohensKappa]) -> [String: Kappa] {
            Dictionary(uniqueKeysWithValues: kappas.map { ($0.key.uuidString, Kappa($0.value)) })
        }
        return try jsonResponse(
            Agreement(
                revealed: c.codesRevealed,
                pairs: pairs.map {
                    PairLine(
                        coders: $0.coders, answers: $0.answers, overall: Kappa($0.overall),
                        byQuestion: keyed($0.byQuestion), byCode: keyed($0.byCode))
                },
                coders: use.map {
                    UseLine(
                        coderId: $0.coder, answersFinished: $0.answers,
                        answersByCode: Dictionary(uniqueKeysWithValues: $0.byCode.map { ($0.key.uuidString, $0.value) })
                    )
                }))
    }

    @Sendable func summary(req: Request) async throws -> Response {
        let c = try await req.consultation(.read)
        return try jsonResponse(try await req.consultationSummary(c, publicEdition: false).summary)
    }

    @Sendable func publicSummary(req: Request) async throws -> Response {
        let c = try await CodingPages.publicConsultation(req)
        return try jsonResponse(try await req.consultationSummary(c, publicEdition: true).summary)
    }
}
