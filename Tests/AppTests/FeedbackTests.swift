import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
import WellplanCore

@testable import App

@Suite struct FeedbackRouteTests {
    struct Created: Decodable { let id: UUID }
    struct Results: Decodable {
        struct Line: Decodable {
            let n: Int
            let percentAgree: Int?
            let withheld: Bool
        }
        let submissions: Int
        let lines: [Line]
    }

    @Test func anEventsFormIsFilledAnonymouslyOrFromPaperAndItsResultsWithholdSmallShares() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let (coordinator, member) = (f.tokens[.coordinator]!, f.tokens[.member]!)
            func create(_ path: String, _ token: String, _ json: String) async throws -> UUID {
                let res = try await api(app, .POST, path, token: token, json: json)
                #expect(res.status == .created, "\(path): \(res.body.string)")
                return try JSONDecoder().decode(Created.self, from: Data(res.body.string.utf8)).id
            }
            // The bank is the coordinator's; the form belongs to the event, so the event's table may make it.
            let likert =
                #"{"questionKind":"likert","textEn":"I feel more confident supporting safety related to substance use after this session"}"#
            #expect(
                try await api(app, .POST, "/api/v1/feedback-questions", token: member, json: likert).status
                    == .forbidden)
            let agree = try await create("/api/v1/feedback-questions", coordinator, likert)
            let open = try await create(
                "/api/v1/feedback-questions", coordinator,
                #"{"questionKind":"free_text","textEn":"What would you change?"}"#)
            let event = try await create(
                "/api/v1/events", member,
                #"{"kind":"workshop","titleEn":"Workshop","occurredOn":"2025-11-04","place":"Essex","projectId":"\#(f.projectA.id)"}"#
            )
            let formJSON =
                #"{"eventId":"\#(event)","titleEn":"Workshop feedback","questionIds":["\#(agree)","\#(open)"],"open":true}"#
            let form = try await create("/api/v1/feedback-forms", member, formJSON)

            // Anyone with the link answers; nothing identifies them.
            let visitor = Browser(app)
            let page = try await visitor.get("/f/\(form)")
            #expect(
                page.status == .ok && page.body.string.contains("Strongly agree")
                    && page.body.string.contains("anonymous"))
            for score in ["5", "4", "5", "2"] {
                let sent = try await visitor.post(
                    "/f/\(form)", [("q-\(agree)", score), ("q-\(open)", "More time for questions")])
                #expect(sent.status == .ok && sent.body.string.contains("Thank you"))
            }
            let wrong = try await visitor.post("/f/\(form)", [("q-\(agree)", "9")])
            #expect(wrong.status == .unprocessableEntity && wrong.body.string.contains("must be between 1 and 5"))
            #expect(try await visitor.post("/f/\(form)", [("q-\(agree)", "5")], withToken: false).status == .forbidden)

            // Four answers: below the partners' minimum of five, so the share is withheld.
            func results() async throws -> Results {
                let res = try await api(app, .GET, "/api/v1/feedback-forms/\(form)/results", token: member)
                return try JSONDecoder().decode(Results.self, from: Data(res.body.string.utf8))
            }
            var r = try await results()
            #expect(
                r.submissions == 4 && r.lines[0].n == 4 && r.lines[0].withheld && r.lines[0].percentAgree == nil
                    && r.lines[1].n == 4)
            #expect(
                !(try await api(app, .GET, "/api/v1/feedback-forms/\(form)/results", token: member)).body.string
                    .contains(#""agreed":3"#))

            // A fifth, typed in from paper by the organizer: 5 answers, 4 agree → 80 %.
            let paper = try await api(
                app, .POST, "/api/v1/feedback-forms/\(form)/submissions", token: member,
                json: #"{"answers":{"\#(agree)":4}}"#)
            #expect(paper.status == .created)
            let stray = try await api(
                app, .POST, "/api/v1/feedback-forms/\(form)/submissions", token: member,
                json: #"{"answers":{"\#(UUID())":4}}"#)
            #expect(stray.status == .unprocessableEntity)
            r = try await results()
            #expect(r.lines[0].n == 5 && r.lines[0].percentAgree == 80 && !r.lines[0].withheld)
            let stored = try await app.db.sql.select().column("channel").from("feedback_submissions").all().map {
                try $0.decode(column: "channel", as: String.self)
            }
            #expect(stored.sorted() == ["online", "online", "online", "online", "paper"])
            #expect(
                try await app.db.sql.select().column("action").from("audit_entries").where(
                    "action", .equal, "enter_paper_feedback"
                ).all().count == 1)

            // The printable poster carries the QR code of the public link; a closed form takes no answers.
            let organizer = Browser(app)
            _ = try await organizer.signIn("member@test.ca")
            let poster = try await organizer.get("/feedback-forms/\(form)/poster")
            #expect(
                poster.status == .ok && poster.body.string.contains("/f/\(form)/qr.svg")
                    && poster.body.string.contains("/f/\(form)</code>"))
            let qr = try await visitor.get("/f/\(form)/qr.svg")
            #expect(
                qr.status == .ok && qr.headers.contentType?.subType == "svg+xml"
                    && qr.body.string.contains("/f/\(form)</title>"))
            #expect(try await organizer.get("/feedback-forms/\(form)/results").body.string.contains("80 %"))
            let closed = formJSON.replacingOccurrences(of: #""open":true"#, with: #""open":false"#)
            #expect(
                try await api(app, .PUT, "/api/v1/feedback-forms/\(form)", token: member, json: closed).status == .ok)
            #expect(try await visitor.get("/f/\(form)").status == .gone)
            #expect(try await visitor.post("/f/\(form)", [("q-\(agree)", "5")]).status == .gone)
            // Paper forms still come in after the form closes.
            #expect(try await organizer.post("/feedback-forms/\(form)/paper", [("q-\(agree)", "5")]).status == .ok)
            #expect(
                try await api(app, .GET, "/api/v1/feedback-forms/\(form)/results", token: nil).status == .unauthorized)
        }
    }
}
