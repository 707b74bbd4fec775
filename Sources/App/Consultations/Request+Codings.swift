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
            let consultation = try await Records(db: sql).find(Consultation.self, id)
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
        let store = Records(db: sql)
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
