import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
import WellplanCore

@testable import App

@Suite struct CodingRouteTests {
    struct Answer: Decodable {
        let id: UUID
        let responseId: UUID
        let text: String
        let codings: [Coded]
        let finished: Bool
    }
    struct Coded: Decodable { let coderId: UUID }
    struct AnswerList: Decodable { let items: [Answer] }
    struct Line: Decodable {
        let id: UUID
        let path: String?
    }
    struct Kappa: Decodable {
        let units: Int
        let observed: Double
        let kappa: Double?
    }
    struct Agreement: Decodable {
        struct Pair: Decodable {
            let answers: Int
            let overall: Kappa
            let byQuestion: [String: Kappa]
            let byCode: [String: Kappa]
        }
        struct Use: Decodable {
            let answersFinished: Int
            let answersByCode: [String: Int]
        }
        let pairs: [Pair]
        let coders: [Use]
    }
    struct Frequency: Decodable {
        let themeId: UUID
        let responses: Int
        let excerpts: Int
        let byMethod: [String: Int]
        let byAudienceGroup: [String: Int]
    }

    func decode<T: Decodable>(_ type: T.Type, _ res: TestingHTTPResponse) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(res.body.string.utf8))
    }

    /// A consultation holding the Google Forms sample's 42 responses, under a survey reaching youth.
    func consultation(_ app: Application, _ f: Fixture) async throws -> (Consultation, ConsultationMethod) {
        let c = Consultation(planId: f.plan.id, titleEn: "Citizen science consultation")
        let survey = ConsultationMethod(
            consultationId: c.id, method: "survey", participants: 42, audienceGroups: ["youth"])
        let w = RecordWriter(db: app.db, author: .commandLine)
        try await w.create(c)
        try await w.create(survey)
        let csv = try Data(
            contentsOf: ConsultationImportTests.surveys.appendingPathComponent(
                "google_forms_autistica_turing/Form_Responses_1.csv"))
        _ = try await ResponseImports(db: app.db, author: .commandLine).run(
            c, method: survey.id, csv: csv, store: app.settings.store)
        return (c, survey)
    }

    @Test func coderAgreementAndThemeFrequenciesFollowTheCodedExcerpts() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let (c, survey) = try await consultation(app, f)
            let (coordinator, member) = (f.tokens[.coordinator]!, f.tokens[.member]!)
            let base = "/api/v1/consultations/\(c.id)"
            let csv = HTTPMediaType(type: "text", subType: "csv")

            let codebook = "path,name_fr\nNeeds,Besoins\nNeeds > Safety,Sécurité\nNeeds > Learning,Apprentissage\n"
            let imported = try await api(
                app, .POST, "\(base)/codebook", token: coordinator, json: codebook, contentType: csv)
            #expect(imported.status == .created && imported.body.string.contains(#""added":3"#))
            #expect(
                try await api(app, .POST, "\(base)/codebook", token: coordinator, json: codebook, contentType: csv).body
                    .string.contains(#""added":0"#))
            #expect(
                try await api(app, .POST, "\(base)/codebook", token: member, json: codebook, contentType: csv).status
                    == .forbidden)
            let codes = try decode([Line].self, try await api(app, .GET, "\(base)/codebook", token: member))
            let safety = try #require(codes.first { $0.path == "Needs > Safety" }).id
            let learning = try #require(codes.first { $0.path == "Needs > Learning" }).id
            let needs = try #require(codes.first { $0.path == "Needs" }).id
            let qdc = try await api(app, .GET, "\(base)/codebook?format=qdc", token: member)
            #expect(
                qdc.body.string.contains(#"name="Safety""#) && qdc.body.string.contains(safety.uuidString.lowercased()))

            let answers = try decode(
                AnswerList.self, try await api(app, .GET, "\(base)/answers?per=100", token: member)
            ).items
            let long = answers.filter { $0.text.count > 40 }
            try #require(long.count >= 3)
            func code(_ token: String, _ answer: Answer, _ codeId: UUID, words: Int = 3) async throws
                -> TestingHTTPResponse
            {
                let excerpt = answer.text.split(separator: " ").prefix(words).joined(separator: " ")
                return try await api(
                    app, .POST, "\(base)/codings", token: token,
                    json: #"{"answerId":"\#(answer.id)","codeId":"\#(codeId)","excerpt":"\#(excerpt)"}"#)
            }
            // The coordinator codes three answers "Safety"; the member codes the first two, one "Safety", one "Learning".
            for answer in long.prefix(3) { #expect(try await code(coordinator, answer, safety).status == .created) }
            #expect(try await code(member, long[0], safety).status == .created)
            let memberLearning = try await code(member, long[1], learning)
            #expect(memberLearning.status == .created)
            // the same words, code and coder twice
            #expect(try await code(member, long[1], learning).status == .conflict)
            let stray = try await api(
                app, .POST, "\(base)/codings", token: member,
                json: #"{"answerId":"\#(long[0].id)","codeId":"\#(safety)","excerpt":"words that are not there"}"#
            )
            #expect(stray.status == .unprocessableEntity && stray.body.string.contains("excerpt"))
            #expect(try await code(f.tokens[.admin]!, long[0], UUID()).status == .unprocessableEntity)

            // Blind: until the member finishes an answer, the coordinator's codings of it are not shown to them.
            func view(_ token: String, _ answer: Answer) async throws -> Answer {
                let all = try decode(AnswerList.self, try await api(app, .GET, "\(base)/answers?per=100", token: token))
                    .items
                return try #require(all.first { $0.id == answer.id })
            }
            let memberId = try #require(try await view(member, long[0]).codings.first).coderId
            #expect(try await view(member, long[0]).codings.map(\.coderId) == [memberId])
            #expect(try await view(member, long[2]).codings.isEmpty)
            let browser = Browser(app)
            _ = try await browser.signIn("member@test.ca")
            func pagesShowTheCoordinatorsCodings() async throws -> Bool {
                var shown = false
                for number in 1...3 {
                    let page = try await browser.get("/consultations/\(c.id)/coding?page=\(number)")
                    shown = shown || page.body.string.contains("<td>Coordinator</td>")
                }
                return shown
            }
            #expect(try await pagesShowTheCoordinatorsCodings() == false)
            for answer in long.prefix(3) {
                #expect(
                    try await api(app, .POST, "\(base)/answers/\(answer.id)/finished", token: coordinator).status
                        == .noContent)
            }
            for answer in long.prefix(2) {
                #expect(
                    try await api(app, .POST, "\(base)/answers/\(answer.id)/finished", token: member).status
                        == .noContent)
            }
            let finished = try await view(member, long[0])
            #expect(finished.codings.count == 2 && finished.finished)
            #expect(try await view(member, long[2]).codings.isEmpty)
            // Finished: the member's codings of it stay as they are.
            let late = try await code(member, long[0], learning)
            #expect(late.status == .conflict && late.body.string.contains("finished"))

            // Units are the two answers both finished. Safety: coordinator yes, yes; member yes, no → pₒ = ½, pₑ = 1·½ + 0·½ = ½, κ = 0.
            // Learning: coordinator no, no; member no, yes → pₒ = ½, pₑ = 0·½ + 1·½ = ½, κ = 0 as well; Needs: never applied → κ undefined.
            let agreement = try decode(Agreement.self, try await api(app, .GET, "\(base)/agreement", token: member))
            let pair = try #require(agreement.pairs.first)
            let s = try #require(pair.byCode[safety.uuidString])
            #expect(pair.answers == 2 && s.units == 2 && s.observed == 0.5 && s.kappa == 0)
            #expect(pair.byCode[needs.uuidString]?.kappa == nil)
            // All three codes over both answers: 6 decisions, agreeing on 4 (safety on the first, needs on both, learning on the first).
            #expect(pair.overall.units == 6 && abs(pair.overall.observed - 4.0 / 6) < 1e-12)
            #expect(pair.byQuestion.values.map(\.units).reduce(0, +) == 6)
            #expect(agreement.coders.map(\.answersFinished).sorted() == [2, 3])
            #expect(agreement.coders.contains { $0.answersByCode[safety.uuidString] == 3 })

            // A theme from "Needs" gathers both children: the responses behind all five codings, each once.
            let theme =
                #"{"consultationId":"\#(c.id)","section":"needs","nameEn":"Safety and learning","codeIds":["\#(needs)"]}"#
            let created = try await api(app, .POST, "/api/v1/themes", token: coordinator, json: theme)
            #expect(created.status == .created)
            let themeId = try decode(Line.self, created).id
            let only =
                #"{"consultationId":"\#(c.id)","section":"needs","nameEn":"Learning","codeIds":["\#(learning)"]}"#
            #expect(try await api(app, .POST, "/api/v1/themes", token: coordinator, json: only).status == .created)
            let frequencies = try decode(
                [Frequency].self, try await api(app, .GET, "\(base)/theme-frequencies", token: member))
            let stored = try await Codings(db: app.db, author: .commandLine).codings(c.id)
            let responseOf = Dictionary(uniqueKeysWithValues: answers.map { ($0.id, $0.responseId) })
            let wide = try #require(frequencies.first { $0.themeId == themeId })
            #expect(
                wide.excerpts == stored.count && wide.responses == Set(stored.map { responseOf[$0.answerId]! }).count
                    && wide.responses == 3)
            #expect(wide.byMethod == [survey.id.uuidString: 3] && wide.byAudienceGroup == ["youth": 3])
            #expect(frequencies.first { $0.themeId != themeId }?.responses == 1)
            // Theme by theme, the same counts as the plain join from each coding to its answer's response.
            #expect(try await plainFrequencies(app, c.id) == frequencies.map { [$0.responses, $0.excerpts] })
            // Codings made before they carried their response and method are given them by the migration
            // (on one connection, as migrations run: SQLite checks a new column against the schema the
            // connection last read).
            try await app.db.withConnection { db in
                try await M029_CountThemesFromCodings().revert(on: db)
                try await M029_CountThemesFromCodings().prepare(on: db)
            }
            let migrated = try decode(
                [Frequency].self, try await api(app, .GET, "\(base)/theme-frequencies", token: member))
            #expect(migrated.map { [$0.responses, $0.excerpts] } == frequencies.map { [$0.responses, $0.excerpts] })

            // A member removes their own coding, not another coder's.
            let coordinatorCoding = try #require(
                stored.first { $0.coderId != stored.first { $0.codeId == learning }!.coderId })
            #expect(
                try await api(app, .DELETE, "\(base)/codings/\(coordinatorCoding.id)", token: member).status
                    == .forbidden)
            let own = try decode(Line.self, memberLearning).id
            #expect(try await api(app, .DELETE, "\(base)/codings/\(own)", token: member).status == .conflict)
            // Revealed by the lead, to settle differences: everyone sees every coding, and may change their own.
            var revealed = c
            revealed.codesRevealed = true
            try await RecordWriter(db: app.db, author: .commandLine).update(revealed, before: c)
            #expect(try await view(member, long[2]).codings.count == 1)
            #expect(try await pagesShowTheCoordinatorsCodings())
            #expect(try await api(app, .DELETE, "\(base)/codings/\(own)", token: member).status == .noContent)
            #expect(try await api(app, .GET, "\(base)/answers", token: nil).status == .unauthorized)
        }
    }

    /// Each theme's distinct responses and excerpts, in the order the API lists themes, by the plain join
    /// through answers: what an analyst would write against the tables.
    func plainFrequencies(_ app: Application, _ consultation: UUID) async throws -> [[Int]] {
        let themes = try await Records(db: app.db.sql).list(Theme.self, filters: ["consultationId": consultation])
        let book = try await Codings(db: app.db, author: .commandLine).codebook(consultation)
        let pairs = ThemeFrequency.codePairs(themes, codebook: book)
        var counts: [[Int]] = []
        for theme in ThemeFrequency.combine(themes, tallies: [], audienceGroups: [:]).map(\.themeId) {
            let codes = pairs.filter { $0.theme == theme }.map(\.code)
            let row = try #require(
                try await app.db.sql.raw(
                    """
                    SELECT COUNT(DISTINCT a.response_id) AS responses, COUNT(*) AS excerpts FROM codings c
                    JOIN consultation_answers a ON a.id = c.answer_id WHERE c.code_id IN \(SQLBind.group(codes))
                    """
                ).first())
            counts.append([
                try row.decode(column: "responses", as: Int.self), try row.decode(column: "excerpts", as: Int.self),
            ])
        }
        return counts
    }

    @Test func quotesPassTheGuardAndOnlyPublishedThemesReachThePublic() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let (c, _) = try await consultation(app, f)
            let token = f.tokens[.coordinator]!
            // One response coded with the theme's code: a count below the public minimum.
            let code = ThematicCode(consultationId: c.id, nameEn: "Alarms")
            try await RecordWriter(db: app.db, author: .commandLine).create(code)
            let codings = Codings(db: app.db, author: .commandLine)
            let answer = try #require(try await codings.answers(c.id, question: nil, page: 1, per: 1).answers.first)
            _ = try await codings.add(c, answer: answer.id, code: code.id, selected: "", start: nil, coder: UUID())
            let theme =
                #"{"consultationId":"\#(c.id)","section":"issues","nameEn":"Fire safety advice","codeIds":["\#(code.id)"]}"#
            let themeId = try decode(Line.self, try await api(app, .POST, "/api/v1/themes", token: token, json: theme))
                .id
            let draft = #"{"consultationId":"\#(c.id)","section":"issues","nameEn":"Unfinished draft theme"}"#
            #expect(try await api(app, .POST, "/api/v1/themes", token: token, json: draft).status == .created)

            let named =
                #"{"themeId":"\#(themeId)","text":"Call my son Jordan at 519-555-0134 about the alarms","published":true}"#
            let refused = try await api(app, .POST, "/api/v1/quotes", token: token, json: named)
            #expect(
                refused.status == .unprocessableEntity && refused.body.string.contains(#""field":"text""#),
                "\(refused.body.string)")
            let clean =
                #"{"themeId":"\#(themeId)","text":"A flashing light instead of the sound would help","published":true}"#
            #expect(try await api(app, .POST, "/api/v1/quotes", token: token, json: clean).status == .created)

            #expect(try await api(app, .GET, "/api/v1/public/consultations/\(c.id)", token: nil).status == .notFound)
            #expect(try await Browser(app).get("/public/consultations/\(c.id)").status == .notFound)
            let unexplained =
                #"{"consultationId":"\#(c.id)","section":"issues","nameEn":"Fire safety advice","codeIds":["\#(code.id)"],"published":true}"#
            let early = try await api(app, .PUT, "/api/v1/themes/\(themeId)", token: token, json: unexplained)
            #expect(early.status == .unprocessableEntity && early.body.string.contains("weDidEn"))
            let published =
                #"{"consultationId":"\#(c.id)","section":"issues","nameEn":"Fire safety advice","codeIds":["\#(code.id)"],"published":true,"weDidEn":"Visual alarms in the fire safety plan"}"#
            #expect(try await api(app, .PUT, "/api/v1/themes/\(themeId)", token: token, json: published).status == .ok)

            let page = try await Browser(app).get("/public/consultations/\(c.id)")
            #expect(page.status == .ok)
            #expect(
                page.body.string.contains("Fire safety advice")
                    && page.body.string.contains("Visual alarms in the fire safety plan"))
            #expect(
                page.body.string.contains("A flashing light instead")
                    && !page.body.string.contains("Unfinished draft theme"))
            let json = try await api(app, .GET, "/api/v1/public/consultations/\(c.id)", token: nil)
            #expect(
                json.status == .ok && !json.body.string.contains("Unfinished")
                    && json.body.string.contains(#""withheld":true"#))
            #expect(page.body.string.contains("fewer than the minimum"))
        }
    }

    @Test func thePagesCodeByFormAndShowTheAnalysis() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let (c, _) = try await consultation(app, f)
            let w = RecordWriter(db: app.db, author: .commandLine)
            let code = ThematicCode(consultationId: c.id, nameEn: "Alarms")
            try await w.create(code)
            try await w.create(
                Theme(consultationId: c.id, section: "issues", nameEn: "Alarm design", codeIds: [code.id]))
            let browser = Browser(app)
            _ = try await browser.signIn("member@test.ca")
            let page = try await browser.get("/consultations/\(c.id)/coding")
            #expect(
                page.status == .ok && page.body.string.contains("<textarea")
                    && page.body.string.contains(">Alarms</option>"))
            let answer = try #require(page.body.string.firstMatch(of: /name="answerId" value="([^"]+)"/)).1
            let coded = try await browser.post(
                "/consultations/\(c.id)/codings?page=1",
                [("answerId", String(answer)), ("codeId", code.id.uuidString), ("excerpt", "")])
            #expect(
                coded.status == .seeOther && coded.headers.first(name: .location)?.contains("#answer-\(answer)") == true
            )
            let missing = try await browser.post(
                "/consultations/\(c.id)/codings", [("answerId", String(answer)), ("codeId", "")])
            #expect(missing.status == .unprocessableEntity)
            #expect(try await Codings(db: app.db, author: .commandLine).codings(c.id).count == 1)
            for path in ["codebook", "agreement", "summary"] {
                #expect(try await browser.get("/consultations/\(c.id)/\(path)").status == .ok, "\(path)")
            }
            let summary = try await browser.get("/consultations/\(c.id)/summary")
            #expect(summary.body.string.contains("Alarm design") && summary.body.string.contains("42"))
            #expect(
                try await browser.get("/consultations/\(c.id)/codebook?format=csv").body.string.hasPrefix(
                    "path,name_fr,description"))
        }
    }
}
