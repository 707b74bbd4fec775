import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
import WellplanCore

@testable import App

@Suite struct AccountTests {
    struct Created: Decodable { let id: UUID }

    /// The issue's path, end to end without SQL: an admin makes an account and links it to a new person, a
    /// coordinator seats that person at a table, and the member works there; a revoked token then answers 401.
    @Test func aNewMemberIsLinkedSeatedAndWorksWithoutSQL() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let admin = Browser(app)
            _ = try await admin.signIn("admin@test.ca")
            try await admin.get("/accounts")
            let made = try await admin.post(
                "/accounts",
                [("email", "Robin@Test.ca"), ("name", "Robin"), ("role", "member"), ("personId", ""), ("password", "")])
            #expect(made.status == .ok)
            let password = try #require(made.body.string.firstMatch(of: /shown only now: ([A-Za-z0-9_-]+)/)?.1)
            let robin = try #require(try await Accounts(db: app.db.sql, clock: app.clock).find(email: "robin@test.ca"))

            // Signed in but linked to no person, Robin can do nothing at table A.
            let member = Browser(app)
            #expect(try await member.signIn("robin@test.ca", password: String(password)).status == .seeOther)
            let activity = [
                ("projectId", "\(f.projectA.id)"), ("occurredOn", "2025-10-09"), ("summaryEn", "Met the school board"),
            ]
            try await member.get("/activities/new")
            #expect(try await member.post("/activities", activity).status == .forbidden)

            // The coordinator records the person and seats them; the admin links the account.
            let coordinator = f.tokens[.coordinator]!
            let person = try await api(
                app, .POST, "/api/v1/people", token: coordinator, json: #"{"name":"Robin Partner"}"#)
            let personId = try JSONDecoder().decode(Created.self, from: Data(person.body.string.utf8)).id
            let seat = #"{"tableId":"\#(f.tableA.id)","personId":"\#(personId)","role":"member"}"#
            #expect(try await api(app, .POST, "/api/v1/memberships", token: coordinator, json: seat).status == .created)
            try await admin.get("/accounts/\(robin.id)")
            let linked = try await admin.post(
                "/accounts/\(robin.id)", [("name", "Robin"), ("role", "member"), ("personId", "\(personId)")])
            #expect(linked.status == .seeOther)
            try await member.get("/activities/new")
            #expect(try await member.post("/activities", activity).status == .seeOther)
            #expect(try await member.post("/projects/\(f.projectB.id)", [("titleEn", "Not mine")]).status == .forbidden)

            // A token for Robin's scripts, then revoked from the page: the next call answers 401.
            try await admin.get("/accounts/\(robin.id)")
            let tokenPage = try await admin.post("/accounts/\(robin.id)/tokens", [("label", "script"), ("days", "30")])
            let token = try #require(tokenPage.body.string.firstMatch(of: /shown only now: (wp_[A-Za-z0-9_-]+)/)?.1)
            #expect(try await api(app, .GET, "/api/v1/projects", token: String(token)).status == .ok)
            let listed = try await Accounts(db: app.db.sql, clock: app.clock).tokens(of: robin.id)
            #expect(listed.count == 1 && listed[0].label == "script")
            #expect(abs(listed[0].expiresAt.date.timeIntervalSinceNow - 30 * 86_400) < 120)
            let page = try await admin.get("/accounts/\(robin.id)")
            #expect(!page.body.string.contains(String(token)))
            #expect(try await admin.post("/accounts/\(robin.id)/tokens/\(listed[0].id)/revoke", []).status == .seeOther)
            #expect(try await api(app, .GET, "/api/v1/projects", token: String(token)).status == .unauthorized)

            // Every step is in the audit log, and no password hash is.
            let entries = try await AuditLog.page(on: app.db.sql, limit: 20, offset: 0)
            let mine = entries.filter { $0.actorLabel == "admin@test.ca" }.map { "\($0.action) \($0.subject)" }
            #expect(Set(mine) == ["create user", "update user", "create apiToken", "revoke apiToken"])
            #expect(
                !entries.contains {
                    ($0.after ?? "").contains(robin.passwordHash) || ($0.after ?? "").contains("password")
                })
        }
    }

    @Test func takingAccessAwayEndsTheAccountsSessionsAtOnce() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let adminToken = f.tokens[.admin]!
            let member = try #require(
                try await Accounts(db: app.db.sql, clock: app.clock).find(email: "member@test.ca"))
            func signedInMember() async throws -> Browser {
                let browser = Browser(app)
                #expect(try await browser.signIn("member@test.ca").status == .seeOther)
                #expect(try await browser.get("/plans").status == .ok)
                return browser
            }
            func put(_ body: String) async throws -> TestingHTTPResponse {
                try await api(app, .PUT, "/api/v1/accounts/\(member.id)", token: adminToken, json: body)
            }

            var session = try await signedInMember()
            #expect(
                try await put(#"{"name":"Member","role":"coordinator","personId":"\#(f.person.id)","disabled":false}"#)
                    .status == .ok)
            #expect(try await session.get("/plans").status == .seeOther)
            #expect(
                try await put(#"{"name":"Member","role":"member","personId":"\#(f.person.id)","disabled":false}"#)
                    .status == .ok)

            session = try await signedInMember()
            let reset = try await api(
                app, .POST, "/api/v1/accounts/\(member.id)/password", token: adminToken, json: "{}")
            let password = try JSONDecoder().decode(AccountAPI.NewPassword.self, from: Data(reset.body.string.utf8))
                .password
            #expect(try await session.get("/plans").status == .seeOther)
            #expect(try await Browser(app).signIn("member@test.ca").status == .unauthorized)
            #expect(
                try await Browser(app).signIn("member@test.ca", password: try #require(password)).status == .seeOther)

            session = Browser(app)
            _ = try await session.signIn("member@test.ca", password: password!)
            #expect(
                try await put(#"{"name":"Member","role":"member","personId":"\#(f.person.id)","disabled":true}"#).status
                    == .ok)
            #expect(try await session.get("/plans").status == .seeOther)
            #expect(try await api(app, .GET, "/api/v1/projects", token: f.tokens[.member]!).status == .unauthorized)
            #expect(try await Browser(app).signIn("member@test.ca", password: password!).status == .unauthorized)
        }
    }

    @Test func accountsRefuseWhatWouldLockEveryoneOutOrMeanNothing() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let adminToken = f.tokens[.admin]!
            let admin = try #require(try await Accounts(db: app.db.sql, clock: app.clock).find(email: "admin@test.ca"))
            let last = try await api(
                app, .PUT, "/api/v1/accounts/\(admin.id)", token: adminToken,
                json: #"{"name":"Admin","role":"admin","disabled":true}"#)
            #expect(last.status == .unprocessableEntity && last.body.string.contains("last active admin"))
            let nobody = try await api(
                app, .PUT, "/api/v1/accounts/\(admin.id)", token: adminToken,
                json: #"{"name":"Admin","role":"admin","personId":"\#(UUID())","disabled":false}"#)
            #expect(nobody.status == .unprocessableEntity && nobody.body.string.contains("personId"))
            let short = try await api(
                app, .POST, "/api/v1/accounts/\(admin.id)/password", token: adminToken, json: #"{"password":"short"}"#)
            #expect(short.status == .unprocessableEntity && short.body.string.contains("at least 12"))
            let forever = try await api(
                app, .POST, "/api/v1/accounts/\(admin.id)/tokens", token: adminToken, json: #"{"days":100000}"#)
            #expect(forever.status == .unprocessableEntity)
            let taken = try await api(
                app, .POST, "/api/v1/accounts", token: adminToken,
                json: #"{"email":"member@test.ca","name":"Again","role":"member"}"#)
            #expect(taken.status == .unprocessableEntity)
            // Only admins manage accounts.
            for role in [Role.coordinator, .member] {
                #expect(try await api(app, .GET, "/api/v1/accounts", token: f.tokens[role]!).status == .forbidden)
                #expect(
                    try await api(app, .GET, "/api/v1/accounts/\(admin.id)/tokens", token: f.tokens[role]!).status
                        == .forbidden)
            }
            // A token that has ended answers 401.
            try await app.db.sql.update("api_tokens").set("expires_at", to: SQLBind(app.clock.now.adding(seconds: -1)))
                .where("token_hash", .equal, SQLBind(Accounts.digest(f.tokens[.coordinator]!))).run()
            #expect(
                try await api(app, .GET, "/api/v1/projects", token: f.tokens[.coordinator]!).status == .unauthorized)
        }
    }
}
