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
    /// Every page of the route table's GETs (not the API's), with real ids.
    static func pages(_ app: Application, _ f: Fixture) -> [String] {
        PermissionTests().concretePaths(app, f).filter { method, path in
            method == .GET && !path.hasPrefix("/api/") && !path.hasPrefix("/static/") && path != "/signout"
        }.map(\.1).sorted()
    }

    /// Each reader's answers to every page, as status and body.
    static func answers(_ readers: [Browser], _ pages: [String]) async throws -> [[String]] {
        var all: [[String]] = []
        for reader in readers {
            var answers: [String] = []
            for page in pages {
                let res = try await reader.get(page)
                answers.append("\(res.status.code) \(res.body.string)")
            }
            all.append(answers)
        }
        return all
    }

    /// The public, a member, a coordinator and an admin, each signed in with a browser of their own.
    static func readers(_ app: Application) async throws -> [(name: String, browser: Browser)] {
        var readers = [("public", Browser(app))]
        for role in Role.allCases {
            let browser = Browser(app)
            _ = try await browser.signIn("\(role.rawValue)@test.ca")
            readers.append((role.rawValue, browser))
        }
        return readers
    }

    @Test func everyPageKeptForEveryReaderIsThePageRenderedAfresh() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let readers = try await Self.readers(app)
            let pages = Self.pages(app, f)
            // Everyone reads everything, so a reader's next reading may meet pages kept for the others.
            _ = try await Self.answers(readers.map(\.browser), pages)
            for (name, reader) in readers {
                for page in pages {
                    // Each kept page is compared with a fresh one at once: the code lists are the process's, and
                    // tests beside this one change them.
                    app.settings.keepsPages = true
                    let kept = try await reader.get(page)
                    app.settings.keepsPages = false
                    let fresh = try await reader.get(page)
                    if kept.status != fresh.status || kept.body.string != fresh.body.string {
                        Issue.record("\(name) GET \(page): kept page differs")
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
            let plan = try await Fixture.make(app).plan
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
