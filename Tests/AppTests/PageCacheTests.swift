import Foundation
import SQLKit
import SQLiteNIO
import Testing
import Vapor
import VaporTesting
import WellplanCore

@testable import App

/// A kept page is the page a fresh render would give: for every page in the route table and every reader,
/// after reads by others and after writes made any way at all.
@Suite struct PageCacheTests {
    /// Every GET of the route table, pages and API, with real ids.
    static func pages(_ app: Application, _ f: Fixture) -> [String] {
        PermissionTests().concretePaths(app, f).filter { method, path in
            method == .GET && !path.hasPrefix("/static/") && path != "/signout"
        }.map(\.1).sorted()
    }

    /// A reader of pages with a browser of their own, and of the API with their token.
    struct Reader {
        let name: String
        let browser: Browser
        let token: String?

        func get(_ path: String) async throws -> TestingHTTPResponse {
            guard path.hasPrefix("/api/") else { return try await browser.get(path) }
            return try await api(browser.app, .GET, path, token: token)
        }
    }

    /// The public, a member, a coordinator and an admin.
    static func readers(_ app: Application, _ f: Fixture) async throws -> [Reader] {
        var readers = [Reader(name: "public", browser: Browser(app), token: nil)]
        for role in Role.allCases {
            let browser = Browser(app)
            _ = try await browser.signIn("\(role.rawValue)@test.ca")
            readers.append(Reader(name: role.rawValue, browser: browser, token: f.tokens[role]))
        }
        return readers
    }

    /// The same text, or the same JSON in another order of keys (an error's body is not sorted).
    static func same(_ a: String, _ b: String) -> Bool {
        guard a != b else { return true }
        let json = [a, b].map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? NSObject }
        guard let x = json[0], let y = json[1] else { return false }
        return x.isEqual(y)
    }

    @Test func everyPageKeptForEveryReaderIsThePageRenderedAfresh() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let readers = try await Self.readers(app, f)
            let pages = Self.pages(app, f)
            // Everyone reads everything, so a reader's next reading may meet pages kept for the others.
            for reader in readers {
                for page in pages { _ = try await reader.get(page) }
            }
            for reader in readers {
                for page in pages {
                    // Each kept page is compared with a fresh one at once: the code lists are the process's, and
                    // tests beside this one change them.
                    app.settings.keepsPages = true
                    let kept = try await reader.get(page)
                    app.settings.keepsPages = false
                    let fresh = try await reader.get(page)
                    if kept.status != fresh.status || !Self.same(kept.body.string, fresh.body.string) {
                        Issue.record("\(reader.name) GET \(page): kept page differs")
                    }
                }
            }
        }
    }

    /// What the public and the plan's coordinator read most is answered from the cache the second time,
    /// and never for another reader.
    @Test func theDashboardAndThePlanPageAreKeptForEachReader() async throws {
        try await withApp { app in
            // On PostgreSQL, tests beside this one on the same server move the stamp at any time.
            guard case .sqlite = app.settings.store else { return }
            let fixture = try await Fixture.make(app)
            let plan = fixture.plan
            _ = try await PlanVersions.publish(plan.id, note: nil, on: app.db, .commandLine)
            let pages = ["/public/plans/\(plan.id)/dashboard", "/public/plans/\(plan.id)", "/plans/\(plan.id)"]
            let coordinator = Browser(app), member = Browser(app)
            _ = try await coordinator.signIn("coordinator@test.ca")
            _ = try await member.signIn("member@test.ca")
            for page in pages {
                let first = try await coordinator.get(page)
                #expect(first.status == .ok, "\(page)")
                let hits = app.pages.hits
                let second = try await coordinator.get(page)
                #expect(app.pages.hits == hits + 1, "\(page): not kept")
                #expect(second.body.string == first.body.string)
                _ = try await member.get(page)
                #expect(app.pages.hits == hits + 1, "\(page): the coordinator's page answered the member")
            }
            // An API answer likewise, for the same token only.
            let route = "/api/v1/plans/\(plan.id)/scorecard"
            let first = try await api(app, .GET, route, token: fixture.tokens[.coordinator])
            let hits = app.pages.hits
            let second = try await api(app, .GET, route, token: fixture.tokens[.coordinator])
            #expect(first.status == .ok && second.body.string == first.body.string)
            #expect(app.pages.hits == hits + 1)
            _ = try await api(app, .GET, route, token: fixture.tokens[.admin])
            #expect(app.pages.hits == hits + 1)
        }
    }

    /// Every record kind: a record written straight to the database, past every route, shows on the next
    /// page as it does on a fresh one.
    @Test func aRecordOfEveryKindWrittenAnyWayShowsOnTheNextPage() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let coordinator = Browser(app)
            _ = try await coordinator.signIn("coordinator@test.ca")
            let samples = SampleRecords(app)
            for kind in RecordKind.allCases where !kind.hasOwnRoutes {
                let list = "/\(kind.path)"
                app.settings.keepsPages = true
                _ = try await coordinator.get(list)
                let before = try await coordinator.get(list).body.string
                let record = try await samples.make(kind, .full)
                let after = try await coordinator.get(list).body.string
                app.settings.keepsPages = false
                let fresh = try await coordinator.get(list).body.string
                #expect(after == fresh, "\(kind): a kept list after a write differs from a fresh one")
                #expect(after != before, "\(kind): the list shows nothing of record \(record.id)")
            }
            _ = f
        }
    }

    /// However many different addresses are asked for (a query string made up each time), the cache holds at
    /// most its number of pages and its bytes.
    @Test func theCacheIsBoundedByPagesAndBytes() {
        let pages = PageCache.Pages()
        let page = PageCache.Pages.Page(
            status: .ok, headers: ["Content-Type": "text/html"], body: ByteBuffer(string: "<p>a page</p>"))
        for n in 0..<(PageCache.Pages.mostPages + 100) {
            pages.keep(page, Data("page \(n)".utf8), stamp: "1")
        }
        #expect(pages.count <= PageCache.Pages.mostPages)
        let big = PageCache.Pages.Page(
            status: .ok, headers: [:], body: ByteBuffer(repeating: 0, count: PageCache.Pages.capacity / 3))
        for n in 0..<4 { pages.keep(big, Data("big \(n)".utf8), stamp: "1") }
        #expect(pages.count <= 3)
    }

    @Test func theStampMovesWithEveryCommitOnAnyConnectionAndWithNothingElse() async throws {
        try await withApp { app in
            let stamp = app.dataStamp
            let first = try await stamp.read(app.db.sql)
            _ = try await app.db.sql.raw("SELECT COUNT(*) AS n FROM plans").all()
            if case .sqlite = app.settings.store {
                // On PostgreSQL other tests' schemas on the same server move it too.
                #expect(try await stamp.read(app.db.sql) == first)
            }
            let plan = Plan(
                titleEn: "Kept or not", municipality: "Testville", termStart: Day("2026-01-01")!,
                termEnd: Day("2029-12-31")!)
            try await RecordWriter(db: app.db, author: .commandLine).create(plan)
            let second = try await stamp.read(app.db.sql)
            #expect(second != first)
            // A write on a connection of its own, as another server or a command makes.
            try await OwnConnection.run(app.settings.store, pooled: app.db) { sql in
                try await sql.raw("UPDATE plans SET title_en = 'Changed elsewhere' WHERE id = \(bind: plan.id)").run()
            }
            #expect(try await stamp.read(app.db.sql) != second)
        }
    }
}
