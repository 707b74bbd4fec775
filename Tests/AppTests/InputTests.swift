import Foundation
import Testing
import Vapor
import VaporTesting
import WellplanCore

@testable import App

@Suite struct InputTests {
    /// The one form reader: repeated names each kept in order, `+` a space and `%2B` a plus, a name
    /// without `=` an empty value, a pair without a name and a malformed escape left empty, not guessed.
    @Test func formTextReadsEveryPairAsABrowserSentIt() {
        let pairs = FormEncoding.pairs("a=1&a=2&b=x+y%2Bz&flag&=orphan&c=%ZZ&map=col%3Dumn=auto")
        #expect(pairs.map(\.name) == ["a", "a", "b", "flag", "c", "map"])
        #expect(pairs.map(\.value) == ["1", "2", "x y+z", "", "", "col=umn=auto"])
    }

    @Test func anInvalidFormComesBackWithMessagesInTheReadersLanguage() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let browser = Browser(app)
            browser.language = "fr-CA,fr;q=0.9"
            _ = try await browser.signIn("coordinator@test.ca")
            try await browser.get("/projects/new")
            let res = try await browser.post(
                "/projects", [("planId", "\(f.plan.id)"), ("titleEn", ""), ("status", "active"), ("weight", "lourd")])
            #expect(res.status == .unprocessableEntity)
            #expect(res.body.string.contains("est obligatoire"))
            #expect(res.body.string.contains("doit être un nombre"))
            #expect(res.body.string.contains(#"<html lang="fr">"#))
            #expect(res.body.string.contains(#"aria-describedby="titleEn-error""#))
        }
    }

    /// One paging rule: a page number out of range is refused by name on every list, page or API, never
    /// clamped to the first page (nor, as a huge one once could, overflowing the offset); and no route
    /// without a parameter in its path answers a page number with a server error.
    @Test func everyListRefusesAPageOutOfRangeByName() async throws {
        try await withApp { app in
            _ = try await Fixture.make(app)
            let browser = Browser(app)
            _ = try await browser.signIn("admin@test.ca")
            let lists = RecordKind.allCases.filter { !$0.hasOwnRoutes }.map { "/\($0.path)" } + ["/audit"]
            for list in lists {
                #expect(try await browser.get(list + "?page=2").status == .ok, "\(list)")
                for bad in ["0", "-3", "abc", "9223372036854775807", "100001"] {
                    let res = try await browser.get(list + "?page=\(bad)")
                    #expect(
                        res.status == .unprocessableEntity && res.body.string.contains("page"), "\(list)?page=\(bad)")
                }
            }
            let plain = app.routes.all.filter {
                $0.method == .GET && !$0.path.contains { "\($0)".hasPrefix(":") || "\($0)" == "*" }
            }
            for route in plain {
                let path = "/" + route.path.map { "\($0)" }.joined(separator: "/")
                let status = try await browser.get(path + "?page=9223372036854775807&per=0").status
                #expect(status.code < 500, "\(path)")
            }
        }
    }

    @Test func aCountOfOneReopensInItsFormAsOneNotAsTrue() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let activity = Activity(
                projectId: f.projectA.id, occurredOn: Day("2025-11-04")!, summaryEn: "Workshop",
                counts: [.eventsHeld: 1, .participantsTrained: 28])
            try await RecordWriter(db: app.db, author: .commandLine).create(activity)
            let browser = Browser(app)
            _ = try await browser.signIn("coordinator@test.ca")
            let form = try await browser.get("/activities/\(activity.id)/edit").body.string
            #expect(form.contains(#"name="eventsHeld" type="number" value="1""#))
            #expect(form.contains(#"name="participantsTrained" type="number" value="28""#))
            let page = try await browser.get("/activities/\(activity.id)").body.string
            #expect(page.contains("<dd>1</dd>") && page.contains("<dd>28</dd>"))
        }
    }

    /// Every route the OpenAPI document says takes a CSV body refuses one sent as anything else (415), before
    /// reading it: a new import is covered once it is documented (and the document must match the routes).
    @Test func everyCSVImportRefusesOtherMediaTypes() async throws {
        try await withApp { app in
            let situation = try await SituationFixture.make(app)
            let f = situation.base
            let token = f.tokens[.admin]!
            let made = try await api(
                app, .POST, "/api/v1/consultations", token: token,
                json: #"{"planId":"\#(f.plan.id)","titleEn":"Survey"}"#)
            #expect(made.status == .created, "\(made.body.string)")
            let created = try JSONSerialization.jsonObject(with: Data(made.body.string.utf8)) as? [String: Any]
            let consultation = try #require(created?["id"] as? String)
            let ids = [
                "plans": f.plan.id.uuidString, "consultations": consultation, "tables": situation.table.id.uuidString,
            ]
            let res = try await api(app, .GET, "/api/v1/openapi.json", token: nil)
            let doc = try #require(try JSONSerialization.jsonObject(with: Data(res.body.string.utf8)) as? [String: Any])
            let documented = try #require(doc["paths"] as? [String: [String: Any]])
            let paths = documented.compactMap { path, operations -> String? in
                let body = (operations["post"] as? [String: Any])?["requestBody"] as? [String: Any]
                guard (body?["content"] as? [String: Any])?["text/csv"] != nil else { return nil }
                let parts = path.split(separator: "/").map(String.init)
                let concrete = parts.indices.map { i in
                    parts[i] == "{id}" ? ids[parts[i - 1]] ?? "{no id for \(parts[i - 1])}" : parts[i]
                }
                return "/" + concrete.joined(separator: "/")
            }
            #expect(paths.count >= 5, "\(paths)")
            for path in paths {
                // A situation table's records are its members' alone: its import is asked of a member.
                let caller = path.hasPrefix("/api/v1/tables/") ? situation.tokens["school"] : token
                let res = try await api(app, .POST, path, token: caller, json: #"{"a":1}"#)
                #expect(res.status == .unsupportedMediaType, "\(path): \(res.status) \(res.body.string)")
            }
        }
    }

    @Test func theAPINamesTheFieldAndAnswersWithTheRightStatus() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let token = f.tokens[.admin]!
            let bad = try await api(
                app, .POST, "/api/v1/plans", token: token,
                json:
                    #"{"titleEn":"P","municipality":"M","termStart":"2026-13-01","termEnd":"2030-01-01","status":"draft"}"#
            )
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains(#""field":"termStart""#))
            #expect(
                try await api(app, .POST, "/api/v1/plans", token: token, json: "[1,2]").status == .unprocessableEntity)
            #expect(
                try await api(app, .POST, "/api/v1/plans", token: token, json: "{not json").status
                    == .unprocessableEntity)
            #expect(
                try await api(app, .POST, "/api/v1/plans", token: token, json: "{}", contentType: .plainText).status
                    == .unsupportedMediaType)
            #expect(try await api(app, .GET, "/api/v1/projects/\(UUID())", token: token).status == .notFound)
            #expect(try await api(app, .GET, "/api/v1/projects/not-an-id", token: token).status == .notFound)
            #expect(
                try await api(app, .GET, "/api/v1/projects?per=100000", token: token).status == .unprocessableEntity)
            let huge = #"{"nameEn":""# + String(repeating: "x", count: 2_000_000) + #"","sector":"police"}"#
            // The body limit is enforced while reading from the network, so this one goes through a real server.
            // Below Linux's ephemeral range (32768–60999), where the suite's own database connections take their ports.
            let port = Int.random(in: 20_000...32_000)
            try await app.testing(method: .running(port: port)).test(
                .POST, "/api/v1/organizations",
                beforeRequest: { req in
                    req.headers.bearerAuthorization = .init(token: token)
                    req.headers.contentType = .json
                    req.body = ByteBuffer(string: huge)
                }
            ) { res in #expect(res.status == .payloadTooLarge) }
            let missingParent = #"{"planId":"\#(UUID())","titleEn":"Orphan","status":"active"}"#
            let orphan = try await api(app, .POST, "/api/v1/projects", token: token, json: missingParent)
            #expect(orphan.status == .unprocessableEntity && orphan.body.string.contains(#""field":"planId""#))
            #expect(try await api(app, .DELETE, "/api/v1/plans/\(f.plan.id)", token: token).status == .conflict)
            // A plan with nothing in it but a published version is still pointed at: 409, not 500.
            let bare =
                #"{"titleEn":"Bare","municipality":"M","termStart":"2026-01-01","termEnd":"2029-12-31","status":"draft"}"#
            let plan = try JSONDecoder().decode(
                Plan.self,
                from: Data(try await api(app, .POST, "/api/v1/plans", token: token, json: bare).body.string.utf8))
            #expect(try await api(app, .POST, "/api/v1/plans/\(plan.id)/versions", token: token).status == .created)
            #expect(try await api(app, .DELETE, "/api/v1/plans/\(plan.id)", token: token).status == .conflict)
            let list = try await api(app, .GET, "/api/v1/projects?planId=\(f.plan.id)&per=1", token: token)
            #expect(list.status == .ok && list.body.string.contains(#""total":2"#))
        }
    }

    @Test func theOpenAPIDocumentDescribesExactlyTheAPIRoutes() async throws {
        try await withApp { app in
            let res = try await api(app, .GET, "/api/v1/openapi.json", token: nil)
            let doc = try JSONSerialization.jsonObject(with: Data(res.body.string.utf8)) as! [String: Any]
            #expect(doc["openapi"] as? String == "3.1.0")
            let paths = doc["paths"] as! [String: [String: Any]]
            let documented = Set(
                paths.flatMap { path, ops in ops.keys.filter { $0 != "parameters" }.map { "\($0.uppercased()) \(path)" }
                })
            let served = Set(
                app.routes.all.compactMap { route -> String? in
                    let path =
                        "/"
                        + route.path.map {
                            $0.description.hasPrefix(":") ? "{\($0.description.dropFirst())}" : $0.description
                        }
                        .joined(separator: "/")
                    guard path.hasPrefix("/api/v1/") && path != "/api/v1/openapi.json" || path == "/healthz" else {
                        return nil
                    }
                    return "\(route.method.rawValue) \(path)"
                })
            #expect(documented == served)
        }
    }
}
