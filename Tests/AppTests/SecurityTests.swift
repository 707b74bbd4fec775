import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
import WellplanCore

@testable import App

@Suite struct SecurityTests {
    @Test func aFormPostedWithoutItsTokenIsRefused() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let browser = Browser(app)
            _ = try await browser.signIn("coordinator@test.ca")
            try await browser.get("/organizations/new")
            let fields = [("nameEn", "Food bank"), ("sector", "community_services")]
            #expect(try await browser.post("/organizations", fields, withToken: false).status == .forbidden)
            let saved = try await browser.post("/organizations", fields)
            #expect(saved.status == .seeOther)
            #expect(try await RecordStore(db: app.db.sql).list(Organization.self).map(\.nameEn).sorted() == ["Food bank", f.organization.nameEn])
        }
    }

    @Test func signInIsThrottledAfterRepeatedFailures() async throws {
        try await withApp { app in
            _ = try await Fixture.make(app)
            let browser = Browser(app)
            for _ in 0..<5 { #expect(try await browser.signIn("admin@test.ca", password: "wrong").status == .unauthorized) }
            #expect(try await browser.signIn("admin@test.ca").status == .tooManyRequests)
        }
    }

    @Test func cookiesAndHeadersAreLockedDown() async throws {
        try await withApp { app in
            _ = try await Fixture.make(app)
            let res = try await Browser(app).get("/signin")
            let cookie = res.headers[.setCookie].first { $0.hasPrefix("wellplan_session=") } ?? ""
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"))
            #expect(res.headers.first(name: "Content-Security-Policy")?.contains("default-src 'none'") == true)
            #expect(res.headers.first(name: "X-Frame-Options") == "DENY")
            #expect(res.headers.first(name: "X-Content-Type-Options") == "nosniff")
        }
    }

    @Test func apiTokensAreStoredHashed() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let rows = try await app.db.sql.select().column("token_hash").from("api_tokens").all()
            let hashes = try rows.map { try $0.decode(column: "token_hash", as: String.self) }
            #expect(!hashes.contains(f.tokens[.admin]!))
            #expect(hashes.contains(Accounts.digest(f.tokens[.admin]!)))
        }
    }

    @Test func aTamperedAuditEntryIsFound() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            var renamed = f.projectA
            renamed.titleEn = "Renamed"
            try await RecordWriter(db: app.db, author: .commandLine).update(renamed, before: f.projectA)
            let (intact, count) = try await AuditLog.firstBrokenLink(on: app.db.sql)
            #expect(intact == nil && count >= 9)
            try await app.db.sql.update("audit_entries").set("after", to: SQLBind(#"{"titleEn":"Forged"}"#))
                .where("seq", .equal, SQLBind(4)).run()
            #expect(try await AuditLog.firstBrokenLink(on: app.db.sql).broken == 4)
        }
    }

    @Test func everyWriteIsAuditedWithBeforeAndAfter() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let body = #"{"planId":"\#(f.plan.id)","leadTableId":"\#(f.tableA.id)","titleEn":"Project A","status":"active"}"#
            #expect(try await api(app, .PUT, "/api/v1/projects/\(f.projectA.id)", token: f.tokens[.member]!, json: body).status == .ok)
            let last = try await AuditLog.page(on: app.db.sql, limit: 1, offset: 0)[0]
            #expect(last.actorLabel == "member@test.ca" && last.action == "update" && last.recordId == f.projectA.id.uuidString)
            #expect(last.before?.contains("\"planned\"") == true && last.after?.contains("\"active\"") == true)
            let timeline = try await StatusTimeline.entries(on: app.db.sql, recordIds: [f.projectA.id])
            #expect(timeline.map(\.toStatus) == ["planned", "active"])
        }
    }
}
