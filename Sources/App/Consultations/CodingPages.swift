import SQLKit
import Vapor
import WellplanCore

/// The codebook, coding, agreement and summary pages of a consultation, and its public "You said, we did".
struct CodingPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let c = routes.grouped("consultations", ":id")
        c.get("codebook", use: codebook)
        c.large(.POST, "codebook", max: "10mb", use: importCodebook)
        c.get("coding", use: coding)
        c.post("codings", use: code)
        c.post("codings", ":coding", "delete", use: uncode)
        c.post("answers", ":answer", "finished", use: finish)
        c.get("agreement", use: agreement)
        c.get("summary", use: summary)
        routes.get("public", "consultations", ":id", use: publicSummary)
    }

    typealias Option = RecordView.FormField.Option

    static func download(_ text: String, type: String, name: String) -> Response {
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.replaceOrAdd(name: .contentType, value: type)
        response.headers.replaceOrAdd(name: .contentDisposition, value: StoredFiles.disposition(name))
        return response
    }

    static func questionParameter(_ req: Request) throws -> UUID? {
        guard let text = req.query[String.self, at: "question"], !text.isEmpty else { return nil }
        guard let id = UUID(uuidString: text) else {
            throw WellplanError.invalid([FieldProblem("question", "error_not_reference")])
        }
        return id
    }

    // MARK: Codebook

    struct CodebookPage: Encodable {
        struct Line: Encodable {
            let href: String
            let name: String
            let indent: Int
            let description: String
        }
        let heading: String
        let consultationHref: String
        let lines: [Line]
        let newHref: String
        let canEdit: Bool
        let problems: [ErrorResponses.Body.Problem]
        let added: Int?
    }

    func codebookPage(
        _ req: Request, _ c: Consultation, problems: [FieldProblem] = [], added: Int? = nil, status: HTTPStatus = .ok
    ) async throws -> Response {
        let book = try await req.codings.codebook(c.id)
        let lang = req.language
        _ = req.csrfToken
        let content = CodebookPage(
            heading: req.text("codebook_heading") + " · " + c.title(lang),
            consultationHref: SiteURL.record(.consultation, c.id).path,
            lines: book.outline.map {
                .init(
                    href: SiteURL.record(.thematicCode, $0.code.id).path,
                    name: (lang == .fr ? $0.code.nameFr : nil) ?? $0.code.nameEn,
                    indent: $0.depth,
                    description: $0.code.descriptionEn ?? "")
            },
            newHref: SiteURL.newRecord(.thematicCode, prefill: ["consultationId": c.id.uuidString]).path,
            canEdit: AccessPolicy.permits(try await req.actor(), .update, .record(.consultation, owningTable: nil)),
            problems: req.shown(problems), added: added)
        return try await req.page("codebook", title: content.heading, status: status, content)
    }

    @Sendable func codebook(req: Request) async throws -> Response {
        let c = try await req.consultation(.read)
        if let file = try Self.codebookFile(req, try await req.codings.codebook(c.id)) { return file }
        return try await codebookPage(req, c)
    }

    /// The codebook as a file when `?format=csv` or `qdc` asks for one; nil for the page or JSON.
    static func codebookFile(_ req: Request, _ book: Codebook) throws -> Response? {
        switch req.query[String.self, at: "format"] {
        case "csv": return download(book.csv(), type: "text/csv; charset=utf-8", name: "codebook.csv")
        case "qdc": return download(book.qdc(), type: "application/xml; charset=utf-8", name: "codebook.qdc")
        case nil, "json", "html": return nil
        case let other?: throw WellplanError.invalid([FieldProblem("format", "error_not_in_list", [other])])
        }
    }

    @Sendable func importCodebook(req: Request) async throws -> Response {
        let c = try await req.consultation(.update)
        guard let data = req.uploadedFile() else {
            return try await codebookPage(
                req, c, problems: [FieldProblem("file", "error_csv_empty")], status: .unprocessableEntity)
        }
        do {
            let added = try await req.codings.importCodebook(c.id, data: data)
            return try await codebookPage(req, c, added: added.count)
        } catch let error as WellplanError {
            guard case .invalid(let problems) = error else { throw error }
            return try await codebookPage(req, c, problems: problems, status: .unprocessableEntity)
        }
    }

    // MARK: Coding

    struct CodingPage: Encodable {
        struct CodingLine: Encodable {
            let code: String
            let excerpt: String
            let coder: String
            let deleteAction: String?
        }
        struct AnswerBlock: Encodable {
            let id: String
            let number: Int
            let question: String
            let text: String
            let rows: Int
            let codings: [CodingLine]
            /// Whether the coder has finished it; nil when it is not theirs to finish (codings revealed).
            let finishAction: String?
            let finished: Bool
        }
        let heading: String
        let consultationHref: String
        let questions: [Option]
        let codes: [Option]
        let answers: [AnswerBlock]
        let action: String
        let total: Int
        let previousHref: String?
        let nextHref: String?
        let codebookHref: String
        let revealed: Bool
        let problems: [ErrorResponses.Body.Problem]
    }

    func codingPage(_ req: Request, _ c: Consultation, problems: [FieldProblem] = [], status: HTTPStatus = .ok)
        async throws -> Response
    {
        let lang = req.language
        let question = try Self.questionParameter(req)
        let (page, per) = try Paging.from(req, per: 20)
        let questions = try await Records(db: req.sql).list(
            ConsultationQuestion.self, filters: ["consultationId": c.id])
        let actor = try await req.actor()
        let (answers, total) = try await req.codings.answers(
            c, question: question, page: page, per: per, coder: actor.userId)
        let book = try await req.codings.codebook(c.id)
        let names = try await req.codings.coderNames(Set(answers.flatMap { $0.codings.map(\.coderId) }))
        let canDeleteAny = AccessPolicy.permits(actor, .delete, .record(.consultation, owningTable: nil))
        let query = question.map { "&question=\($0)" } ?? ""
        _ = req.csrfToken
        let content = CodingPage(
            heading: req.text("coding_heading") + " · " + c.title(lang),
            consultationHref: SiteURL.record(.consultation, c.id).path,
            questions: questions.map {
                .init(value: $0.id.uuidString, label: "\($0.code) · \($0.title(lang))", selected: $0.id == question)
            },
            codes: book.outline.map {
                .init(
                    value: $0.code.id.uuidString,
                    label: String(repeating: "— ", count: $0.depth)
                        + ((lang == .fr ? $0.code.nameFr : nil) ?? $0.code.nameEn),
                    selected: false)
            },
            answers: answers.enumerated().map { index, answer in
                CodingPage.AnswerBlock(
                    id: answer.id.uuidString, number: (page - 1) * per + index + 1,
                    question: questions.first { $0.id == answer.questionId }?.title(lang) ?? "", text: answer.text,
                    rows: min(12, max(2, answer.text.count / 70 + 1)),
                    codings: answer.codings.map { coding in
                        .init(
                            code: book.path(of: coding.codeId) ?? "", excerpt: coding.excerpt,
                            coder: names[coding.coderId] ?? "—",
                            deleteAction: (coding.coderId == actor.userId || canDeleteAny)
                                && (c.codesRevealed || !answer.finished)
                                ? SiteURL.deleteCoding(consultation: c.id, coding: coding.id).path : nil)
                    },
                    finishAction: c.codesRevealed || answer.finished
                        ? nil
                        : SiteURL.finishAnswer(consultation: c.id, answer: answer.id).path + "?page=\(page)\(query)",
                    finished: answer.finished)
            },
            action: SiteURL.codeAnswers(consultation: c.id).path + "?page=\(page)\(query)", total: total,
            previousHref: page > 1 ? "?page=\(page - 1)\(query)" : nil,
            nextHref: page * per < total ? "?page=\(page + 1)\(query)" : nil,
            codebookHref: SiteURL.consultation(c.id, .codebook).path, revealed: c.codesRevealed,
            problems: req.shown(problems))
        return try await req.page("coding", title: content.heading, status: status, content)
    }

    @Sendable func coding(req: Request) async throws -> Response {
        try await codingPage(req, try await req.consultation(.read, .consultationCoding))
    }

    struct CodingForm: Content {
        var answerId: String
        var codeId: String?
        var excerpt: String?
        var start: String?
    }

    @Sendable func code(req: Request) async throws -> Response {
        let c = try await req.consultation(.create, .consultationCoding)
        let form = try req.content.decode(CodingForm.self)
        guard let answer = UUID(uuidString: form.answerId) else {
            throw WellplanError.invalid([FieldProblem("answerId", "error_not_reference")])
        }
        guard let code = form.codeId.flatMap(UUID.init(uuidString:)) else {
            return try await codingPage(
                req, c, problems: [FieldProblem("codeId", "error_required")], status: .unprocessableEntity)
        }
        do {
            _ = try await req.codings.add(
                c, answer: answer, code: code, selected: form.excerpt ?? "", start: form.start.flatMap { Int($0) },
                coder: try await req.actor().userId!)
        } catch let error as WellplanError {
            switch error {
            case .invalid(let problems):
                return try await codingPage(req, c, problems: problems, status: .unprocessableEntity)
            case .conflict(let key):
                return try await codingPage(req, c, problems: [FieldProblem("excerpt", key)], status: .conflict)
            default: throw error
            }
        }
        return req.redirect(to: Self.back(req, c) + "#answer-\(answer)", redirectType: .normal)
    }

    static func back(_ req: Request, _ c: Consultation) -> String {
        var query: [String] = []
        if let page = req.query[Int.self, at: "page"] { query.append("page=\(page)") }
        if let question = req.query[String.self, at: "question"].flatMap(UUID.init(uuidString:)) {
            query.append("question=\(question)")
        }
        return SiteURL.consultation(c.id, .coding).path + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }

    @Sendable func uncode(req: Request) async throws -> Response {
        let c = try await req.consultation(.delete, .consultationCoding)
        guard let id = req.parameters.get("coding", as: UUID.self) else { throw WellplanError.notFound("coding") }
        do {
            try await req.codings.remove(id, consultation: c, actor: try await req.actor())
        } catch WellplanError.conflict(let key) {
            return try await codingPage(req, c, problems: [FieldProblem("coding", key)], status: .conflict)
        }
        return req.redirect(to: Self.back(req, c), redirectType: .normal)
    }

    @Sendable func finish(req: Request) async throws -> Response {
        let c = try await req.consultation(.create, .consultationCoding)
        guard let answer = req.parameters.get("answer", as: UUID.self) else { throw WellplanError.notFound("answer") }
        try await req.codings.finish(c, answer: answer, coder: try await req.actor().userId!)
        return req.redirect(to: Self.back(req, c) + "#answer-\(answer)", redirectType: .normal)
    }

    // MARK: Agreement

    struct AgreementPage: Encodable {
        struct Line: Encodable {
            let label: String
            let units: Int
            let observed: String
            let kappa: String
            let prevalence: String
            let pabak: String
            let rareCode: Bool
        }
        struct Pair: Encodable {
            let coders: String
            let answers: Int
            let overall: Line
            let questions: [Line]
            let codes: [Line]
        }
        struct Use: Encodable {
            let coder: String
            let answers: Int
            let codes: [String]
        }
        let heading: String
        let consultationHref: String
        let revealed: Bool
        let pairs: [Pair]
        let codes: [String]
        let use: [Use]
    }

    @Sendable func agreement(req: Request) async throws -> Response {
        let c = try await req.consultation(.read)
        let (pairs, use) = try await req.codings.agreement(c)
        let book = try await req.codings.codebook(c.id)
        let questions = try await Records(db: req.sql).list(
            ConsultationQuestion.self, filters: ["consultationId": c.id])
        let names = try await req.codings.coderNames(Set(pairs.flatMap(\.coders) + use.map(\.coder)))
        func percent(_ x: Double?) -> String { x.map { String(format: "%.0f %%", $0 * 100) } ?? "—" }
        func decimal(_ x: Double?) -> String { x.map { String(format: "%.2f", $0) } ?? "—" }
        func line(_ label: String, _ k: CohensKappa) -> AgreementPage.Line {
            .init(
                label: label, units: k.units, observed: percent(k.observed), kappa: decimal(k.kappa),
                prevalence: decimal(k.prevalence),
                pabak: decimal(k.pabak), rareCode: k.isRareCodeParadox)
        }
        let outline = book.outline
        let content = AgreementPage(
            heading: req.text("agreement_heading") + " · " + c.title(req.language),
            consultationHref: SiteURL.record(.consultation, c.id).path,
            revealed: c.codesRevealed,
            pairs: pairs.map { pair in
                .init(
                    coders: pair.coders.map { names[$0] ?? "—" }.joined(separator: " · "), answers: pair.answers,
                    overall: line(req.text("agreement_all_codes"), pair.overall),
                    questions: questions.compactMap { q in
                        pair.byQuestion[q.id].map { line("\(q.code) · \(q.title(req.language))", $0) }
                    },
                    codes: outline.compactMap { entry in
                        pair.byCode[entry.code.id].map { line(book.path(of: entry.code.id) ?? "", $0) }
                    })
            },
            codes: outline.map { book.path(of: $0.code.id) ?? "" },
            use: use.map { u in
                .init(
                    coder: names[u.coder] ?? "—", answers: u.answers,
                    codes: outline.map { String(u.byCode[$0.code.id] ?? 0) })
            })
        return try await req.page("agreement", title: content.heading, content)
    }

    // MARK: Summary

    struct SummaryPage: Encodable {
        struct MethodRow: Encodable {
            let method: String
            let sessions: String
            let participants: String
            let responses: String
            let groups: String
            let notes: String
        }
        struct ThemeBlock: Encodable {
            let name: String
            let href: String?
            /// Empty where nothing was imported to count.
            let responses: String
            let codes: [String]
            let quotes: [String]
            let weDid: String
        }
        struct Section: Encodable {
            let title: String
            let themes: [ThemeBlock]
        }
        struct PriorityBlock: Encodable {
            let title: String
            let themes: String
            let actions: [String]
        }
        struct FrequencyTable: Encodable {
            struct Row: Encodable {
                let theme: String
                let cells: [String]
            }
            let caption: String
            let columns: [String]
            let rows: [Row]
        }
        let heading: String
        let purpose: String
        let consultationHref: String?
        let methods: [MethodRow]
        let participants: Int
        let sections: [Section]
        let priorities: [PriorityBlock]
        let tables: [FrequencyTable]
        let withheldNote: String?
        let links: [PlanExtras.Link]
        let isPublic: Bool
    }

    func summaryPage(_ req: Request, _ c: Consultation, isPublic: Bool) async throws -> Response {
        let lang = req.language
        let (summary, methods, themes, frequencies) = try await req.consultationSummary(c, publicEdition: isPublic)
        let withheld = req.text("summary_withheld")
        func count(_ n: Int?) -> String { n.map(String.init) ?? withheld }
        let counted = summary.methods.contains { $0.responses > 0 }
        var tables: [SummaryPage.FrequencyTable] = []
        if !isPublic {
            let groups = CodeList.audienceGroups.entries.map(\.code)
                .filter { g in methods.contains { $0.audienceGroups?.contains(g) ?? false } }
            func rows(_ cell: (ThemeFrequency) -> [String]) -> [SummaryPage.FrequencyTable.Row] {
                zip(themes, frequencies).map { .init(theme: $0.title(lang), cells: cell($1)) }
            }
            tables = [
                .init(
                    caption: req.text("summary_by_method"),
                    columns: methods.map { CodeList.consultationMethods.label($0.method, lang) } + [
                        req.text("summary_no_method"), req.text("total"),
                    ],
                    rows: rows { f in
                        methods.map { String(f.byMethod[$0.id.uuidString] ?? 0) } + [
                            String(f.byMethod["none"] ?? 0), String(f.responses),
                        ]
                    }),
                .init(
                    caption: req.text("summary_by_group"),
                    columns: groups.map { CodeList.audienceGroups.label($0, lang) },
                    rows: rows { f in groups.map { String(f.byAudienceGroup[$0] ?? 0) } }),
            ]
        }
        let content = SummaryPage(
            heading: (isPublic ? req.text("you_said_heading") : req.text("summary_heading")) + " · " + summary.title,
            purpose: summary.purpose ?? "",
            consultationHref: isPublic ? nil : SiteURL.record(.consultation, c.id).path,
            methods: summary.methods.map {
                .init(
                    method: CodeList.consultationMethods.label($0.method, lang),
                    sessions: $0.sessions.map(String.init) ?? "—",
                    participants: $0.participants.map(String.init) ?? "—", responses: String($0.responses),
                    groups: $0.audienceGroups.map { CodeList.audienceGroups.label($0, lang) }.joined(separator: ", "),
                    notes: $0.notes ?? "")
            },
            participants: summary.participants,
            sections: ConsultationSummary.sectionOrder.compactMap { section in
                guard let themes = summary.sections[section], !themes.isEmpty else { return nil }
                return .init(
                    title: CodeList.consultationTopics.label(section, lang),
                    themes: themes.map {
                        .init(
                            name: $0.name, href: isPublic ? nil : SiteURL.record(.theme, $0.themeId).path,
                            responses: counted ? count($0.responses) : "", codes: $0.codes,
                            quotes: $0.quotes,
                            weDid: $0.weDid ?? "")
                    })
            },
            priorities: summary.priorities.map {
                .init(title: $0.title, themes: $0.themes.joined(separator: " · "), actions: $0.actions)
            },
            tables: tables, withheldNote: summary.withheld ? req.text("summary_withheld_note") : nil,
            links: isPublic
                ? []
                : [
                    .init(href: SiteURL.publicConsultation(c.id).path, label: req.text("you_said_heading")),
                    .init(href: SiteURL.consultation(c.id, .coding).path, label: req.text("coding_heading")),
                    .init(href: SiteURL.consultation(c.id, .agreement).path, label: req.text("agreement_heading")),
                ],
            isPublic: isPublic)
        return try await req.page("consultation-summary", title: content.heading, content)
    }

    @Sendable func summary(req: Request) async throws -> Response {
        try await summaryPage(req, try await req.consultation(.read), isPublic: false)
    }

    /// A consultation is public once one of its themes is published with what the plan did about it.
    static func publicConsultation(_ req: Request) async throws -> Consultation {
        guard let id = req.parameters.get("id", as: UUID.self),
            let c = try await Records(db: req.sql).find(Consultation.self, id),
            try await Records(db: req.sql).list(Theme.self, filters: ["consultationId": id]).contains(where: {
                $0.published
            })
        else { throw WellplanError.notFound("consultation") }
        return c
    }

    @Sendable func publicSummary(req: Request) async throws -> Response {
        try await summaryPage(req, try await Self.publicConsultation(req), isPublic: true)
    }
}
