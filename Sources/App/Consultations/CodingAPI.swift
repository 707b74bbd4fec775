import SQLKit
import Vapor
import WellplanCore

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
        let themes = try await Records(db: req.sql).list(Theme.self, filters: ["consultationId": c.id])
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
            units = k.units
            observed = k.observed
            expected = k.expected
            kappa = k.kappa
            prevalence = k.prevalence
            pabak = k.pabak
            rareCode = k.isRareCodeParadox
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
