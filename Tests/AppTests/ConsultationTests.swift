import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
import WellplanCore

@testable import App

@Suite struct ConsultationImportTests {
    static let surveys = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "../../../shared/data/surveys"
    ).standardized
    static let csv = HTTPMediaType(type: "text", subType: "csv")

    func sample(_ path: String) throws -> String {
        String(decoding: try Data(contentsOf: Self.surveys.appendingPathComponent(path)), as: UTF8.self)
    }

    func consultation(_ app: Application, _ f: Fixture) async throws -> Consultation {
        let c = Consultation(planId: f.plan.id, titleEn: "Safety plan consultation")
        try await RecordWriter(db: app.db, author: .commandLine).create(c)
        return c
    }

    @Test func theThreeSampleExportsImportWithTheirResponsesAndQuestionsAndAgainChangeNothing() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let token = f.tokens[.coordinator]
            for (path, questions, responses) in [
                ("google_forms_autistica_turing/Form_Responses_1.csv", 4, 42),
                ("limesurvey_chi_material/results-survey673185.csv", 331, 10),
                ("kobo_epfl_household_surveys/household_data.csv", 39, 1714),
            ] {
                let c = try await consultation(app, f)
                let body = try sample(path)
                let preview = try await api(
                    app, .POST, "/api/v1/consultations/\(c.id)/responses/preview", token: token, json: body,
                    contentType: Self.csv)
                #expect(preview.status == .ok && preview.body.string.contains(#""responses":\#(responses)"#), "\(path)")
                let first = try await api(
                    app, .POST, "/api/v1/consultations/\(c.id)/responses", token: token, json: body,
                    contentType: Self.csv)
                #expect(first.status == .created, "\(path): \(first.body.string.prefix(300))")
                #expect(
                    first.body.string.contains(#""imported":\#(responses)"#)
                        && first.body.string.contains(#""questionsCreated":\#(questions)"#))
                let imports = ResponseImports(db: app.db, author: .commandLine)
                let before = try await imports.counts(c.id)
                let again = try await api(
                    app, .POST, "/api/v1/consultations/\(c.id)/responses", token: token, json: body,
                    contentType: Self.csv)
                #expect(
                    again.body.string.contains(#""imported":0"#)
                        && again.body.string.contains(#""alreadyImported":\#(responses)"#))
                let after = try await imports.counts(c.id)
                #expect(
                    before.responses == responses && after.responses == responses && before.answers == after.answers)
                #expect(
                    try await Records(db: app.db.sql).count(
                        .consultationQuestion, filters: ["consultationId": c.id]) == questions)
            }
        }
    }

    @Test func aMalformedFileIsRefusedWholeWithItsLine() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let c = try await consultation(app, f)
            let broken = "Timestamp,Q1,Q2\n2026-01-01,yes,fine\n2026-01-02,\"no,open quote\n2026-01-03,yes,ok\n"
            let res = try await api(
                app, .POST, "/api/v1/consultations/\(c.id)/responses", token: f.tokens[.coordinator], json: broken,
                contentType: Self.csv)
            #expect(res.status == .unprocessableEntity && res.body.string.contains("line 3"), "\(res.body.string)")
            let ragged = "Timestamp,Q1\n2026-01-01,yes\n2026-01-02,no,extra\n"
            let refused = try await api(
                app, .POST, "/api/v1/consultations/\(c.id)/responses", token: f.tokens[.coordinator], json: ragged,
                contentType: Self.csv)
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("line 3"))
            #expect(try await ResponseImports(db: app.db, author: .commandLine).counts(c.id).responses == 0)
            #expect(
                try await Records(db: app.db.sql).count(.consultationQuestion, filters: ["consultationId": c.id])
                    == 0)

            // Two questions with one code in a consultation: a conflict, said plainly, not a server error.
            let question = #"{"consultationId":"\#(c.id)","code":"Q1","textEn":"First"}"#
            #expect(
                try await api(
                    app, .POST, "/api/v1/consultation-questions", token: f.tokens[.coordinator], json: question
                ).status == .created)
            let twice = try await api(
                app, .POST, "/api/v1/consultation-questions", token: f.tokens[.coordinator], json: question)
            #expect(twice.status == .conflict && twice.body.string.contains("unique"))
            // Members read consultations but do not import into them; the public neither.
            let body = "Timestamp,Q1\n2026-01-01,yes\n"
            #expect(
                try await api(
                    app, .POST, "/api/v1/consultations/\(c.id)/responses", token: f.tokens[.member], json: body,
                    contentType: Self.csv
                ).status
                    == .forbidden)
            #expect(
                try await api(
                    app, .POST, "/api/v1/consultations/\(c.id)/responses", token: nil, json: body, contentType: Self.csv
                ).status == .unauthorized)
        }
    }

    @Test func thePagesPreviewBeforeTheyImport() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let c = try await consultation(app, f)
            let browser = Browser(app)
            _ = try await browser.signIn("coordinator@test.ca")
            #expect(try await browser.get("/consultations/\(c.id)/responses/import").status == .ok)
            let boundary = "wellplan-test-boundary"
            let body =
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(browser.csrf)\r\n--\(boundary)\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"form.csv\"\r\nContent-Type: text/csv\r\n\r\n"
                + (try sample("google_forms_autistica_turing/Form_Responses_1.csv")) + "\r\n--\(boundary)--\r\n"
            var location = ""
            try await app.testing().test(
                .POST, "/consultations/\(c.id)/responses/import",
                beforeRequest: { req in
                    req.headers.replaceOrAdd(
                        name: .cookie, value: browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
                    req.headers.contentType = HTTPMediaType(
                        type: "multipart", subType: "form-data", parameters: ["boundary": boundary])
                    req.body = ByteBuffer(string: body)
                }
            ) { res in location = res.headers.first(name: .location) ?? "" }
            #expect(location.hasPrefix("/consultations/\(c.id)/responses/import/"))
            let preview = try await browser.get(location)
            #expect(
                preview.status == .ok
                    && preview.body.string.contains("Q2: Do you have a personal connection to autism?"))
            // Google Forms' timestamp is its bookkeeping: listed as not imported before anything is.
            #expect(
                preview.body.string.contains("Not imported") && preview.body.string.contains("<code>Timestamp</code>"))
            // Q2's ticked connections to autism put 23 of the 42 in groups under the public minimum of 10: said before import.
            #expect(
                preview.body.string.contains("single out respondents") && preview.body.string.contains("autism?”: 23"))
            // nothing yet
            #expect(try await ResponseImports(db: app.db, author: .commandLine).counts(c.id).responses == 0)
            // The coordinator skips the Q2 column, sees the preview say so, then imports with that choice.
            let skip = try #require(preview.body.string.firstMatch(of: /value="(Q2[^"]*=skip)"/)).1
            let updated = try await browser.post(location, [("map", String(skip)), ("update", "1")])
            #expect(updated.status == .ok && updated.body.string.contains(#"=skip" selected>"#))
            let confirmed = try await browser.post(location, [("map", String(skip))])
            let jobPage = try #require(confirmed.headers.first(name: .location))
            #expect(confirmed.status == .seeOther && jobPage.hasPrefix("/jobs/"))
            // The worker claims the import and runs it; its page then says what it did.
            let job = try #require(try await JobQueue.claim(on: app.db.sql, worker: "test", at: app.clock.now))
            #expect(job.kind == ResponseImportJob.name)
            #expect(await JobQueue.run(job, db: app.db, settings: app.settings, logger: app.logger) == .succeeded)
            #expect(try await ResponseImports(db: app.db, author: .commandLine).counts(c.id).responses == 42)
            let done = try await browser.get(jobPage)
            #expect(
                done.status == .ok && done.body.string.contains("42 imported, 0 already there, 3 questions created"))
            #expect(try await browser.get(location).status == .notFound)  // the upload is gone once imported
        }
    }
}

@Suite struct ColumnMappingRouteTests {
    struct Preview: Decodable {
        struct Column: Decodable {
            let code: String
            let questionId: UUID?
            let skipped: Bool
        }
        let columns: [Column]
    }

    @Test func theCoordinatorSendsColumnsToExistingQuestionsOrSkipsThem() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let token = f.tokens[.coordinator]!
            let c = Consultation(planId: f.plan.id, titleEn: "Mapped consultation")
            let needs = ConsultationQuestion(consultationId: c.id, code: "needs", textEn: "What do you need?")
            let w = RecordWriter(db: app.db, author: .commandLine)
            try await w.create(c)
            try await w.create(needs)
            let body = String(
                decoding: try Data(
                    contentsOf: ConsultationImportTests.surveys.appendingPathComponent(
                        "google_forms_autistica_turing/Form_Responses_1.csv")), as: UTF8.self)
            let base = "/api/v1/consultations/\(c.id)/responses"
            let plain = try await api(
                app, .POST, "\(base)/preview", token: token, json: body, contentType: ConsultationImportTests.csv)
            let columns = try JSONDecoder().decode(Preview.self, from: Data(plain.body.string.utf8)).columns.map(\.code)
            try #require(columns.count == 4)
            func map(_ pairs: [(String, String)]) -> String {
                pairs.map { "map=" + "\($0.0)=\($0.1)".addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }
                    .joined(separator: "&")
            }
            let choices = map([(columns[1], needs.id.uuidString), (columns[3], "skip")])
            let preview = try JSONDecoder().decode(
                Preview.self,
                from: Data(
                    try await api(
                        app, .POST, "\(base)/preview?\(choices)", token: token, json: body,
                        contentType: ConsultationImportTests.csv
                    ).body.string.utf8
                ))
            #expect(
                preview.columns[1].questionId == needs.id && preview.columns[3].skipped && !preview.columns[0].skipped)

            let twice = map([(columns[1], needs.id.uuidString), (columns[2], needs.id.uuidString)])
            let refused = try await api(
                app, .POST, "\(base)?\(twice)", token: token, json: body, contentType: ConsultationImportTests.csv)
            #expect(
                refused.status == .unprocessableEntity && refused.body.string.contains("already goes to this question"))
            #expect(try await ResponseImports(db: app.db, author: .commandLine).counts(c.id).responses == 0)

            let done = try await api(
                app, .POST, "\(base)?\(choices)", token: token, json: body, contentType: ConsultationImportTests.csv)
            #expect(
                done.status == .created && done.body.string.contains(#""questionsCreated":2"#), "\(done.body.string)")
            let questions = try await Records(db: app.db.sql).list(
                ConsultationQuestion.self, filters: ["consultationId": c.id])
            #expect(Set(questions.map(\.code)) == ["needs", columns[0], columns[2]])
            let counts = try await ResponseImports(db: app.db, author: .commandLine).counts(c.id)
            let answered = try SurveyExport(data: Data(body.utf8)).responses.filter { $0.answers[columns[1]] != nil }
                .count
            #expect(counts.responses == 42 && counts.answers[needs.id] == answered && answered > 0)
        }
    }
}
