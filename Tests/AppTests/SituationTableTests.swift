import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
import WellplanCore

@testable import App

/// A situation table with three agencies at it, on top of the base fixture (whose coordinator and
/// admin do not sit at the table).
struct SituationFixture {
    let base: Fixture
    let table: PartnerTable
    let health: Organization, school: Organization, shelter: Organization
    var tokens: [String: String] = [:]

    static func make(_ app: Application) async throws -> SituationFixture {
        let base = try await Fixture.make(app)
        let w = RecordWriter(db: app.db, author: .commandLine)
        let table = PartnerTable(
            nameEn: "Situation table", kind: .situationTable, planId: base.plan.id, statisticsShared: .public)
        try await w.create(table)
        let health = Organization(nameEn: "Health unit", sector: "health")
        let school = Organization(nameEn: "School board", sector: "education")
        let shelter = Organization(nameEn: "Shelter", sector: "housing_shelters")
        var fixture = SituationFixture(base: base, table: table, health: health, school: school, shelter: shelter)
        let accounts = Accounts(db: app.db.sql, clock: app.clock)
        for (key, org) in [("health", health), ("school", school), ("shelter", shelter)] {
            try await w.create(org)
            let person = Person(name: "Rep \(key)", organizationId: org.id)
            try await w.create(person)
            try await w.create(
                Membership(tableId: table.id, personId: person.id, organizationId: org.id, role: "member"))
            let user = try await accounts.create(
                email: "\(key)@test.ca", name: key, role: .member,
                passwordHash: try app.password.hash(Fixture.password), personId: person.id)
            fixture.tokens[key] = try await accounts.createToken(
                for: user, label: "test", expiresAt: app.clock.now.adding(seconds: 86_400)
            ).token
        }
        return fixture
    }

    static let narrative = "Chronic absence from school; associating with negative peers."

    func presentBody(summary: String = narrative, presentedOn: String = "2026-03-02") -> String {
        #"{"tableId":"\#(table.id)","presentedOn":"\#(presentedOn)","discussionType":"person","ageBand":"16-17","gender":"female","#
            + #""originatingSector":"education","summary":"\#(summary)","riskFactors":["missing_school.truancy","negative_peers.associating"],"#
            + #""protectiveFactors":["adult_relationship"]}"#
    }

    /// Presents a discussion as the health unit's representative; returns its id.
    func present(_ app: Application) async throws -> UUID {
        let res = try await api(app, .POST, "/api/v1/discussions", token: tokens["health"], json: presentBody())
        #expect(res.status == .created, "\(res.body.string)")
        return try JSONDecoder().decode(SituationDiscussion.self, from: Data(res.body.string.utf8)).id
    }

    @discardableResult
    func event(_ app: Application, _ id: UUID, _ json: String, as key: String = "health") async throws
        -> TestingHTTPResponse
    {
        try await api(app, .POST, "/api/v1/discussions/\(id)/events", token: tokens[key], json: json)
    }

    /// Accepted on 2026-03-02 and planned with the health unit leading and the school assisting.
    func planned(_ app: Application) async throws -> UUID {
        let id = try await present(app)
        #expect(try await event(app, id, #"{"event":"accept","acceptedOn":"2026-03-02"}"#).status == .ok)
        let plan =
            #"{"event":"plan_intervention","leadOrganizationId":"\#(health.id)","assistingOrganizationIds":["\#(school.id)"],"#
            + #""firstContactPlannedOn":"2026-03-03"}"#
        #expect(try await event(app, id, plan).status == .ok)
        return id
    }

    func auditText(_ app: Application) async throws -> String {
        try await AuditLog.page(on: app.db.sql, limit: 1000, offset: 0).map {
            "\($0.action) \($0.subject) \($0.before ?? "") \($0.after ?? "")"
        }
        .joined(separator: "\n")
    }
}

@Suite struct SituationTableTests {
    @Test func theTableMovesADiscussionThroughTheFourFilters() async throws {
        try await withApp { app in
            let f = try await SituationFixture.make(app)
            let id = try await f.planned(app)
            #expect(
                try await f.event(app, id, #"{"event":"record_first_contact","firstContactOn":"2026-03-04"}"#).status
                    == .ok)
            let done = try await f.event(
                app, id,
                #"{"event":"conclude","conclusionOutcome":"risk_lowered","conclusionReason":"risk_lowered.connected","concludedOn":"2026-04-01"}"#
            )
            #expect(done.status == .ok)
            let d = try #require(try await Records(db: app.db.sql).find(SituationDiscussion.self, id))
            #expect(d.lifecycleStatus == .concluded && d.number == 1 && d.mobilizationDays == 2)
            #expect(d.assignedOrganizations == [f.health.id, f.school.id])
            let timeline = try await StatusTimeline.entries(on: app.db.sql, recordIds: [id]).map(\.toStatus)
            #expect(timeline == ["presented", "accepted", "intervention_planned", "active", "concluded"])
            // The database counts it the same way on SQLite and PostgreSQL.
            let tallies = try await DiscussionCounts(db: app.db.sql).tallies(
                .init(tables: [f.table.id], from: Day("2026-01-01")!, to: Day("2026-12-31")!))
            #expect(
                tallies.mobilizationDays == [2: 1] && tallies.byStatus == ["concluded": 1]
                    && tallies.byMonth == ["2026-03": 1])
            #expect(tallies.leadSectors == ["health": 1] && tallies.assistingSectors == ["education": 1])
            #expect(tallies.riskFactorSets == [["missing_school.truancy", "negative_peers.associating"]: 1])
            #expect(
                tallies.byAgeAndGender == ["16-17": ["female": 1]]
                    && tallies.conclusionReasons == ["risk_lowered.connected": 1])
            let outside = try await DiscussionCounts(db: app.db.sql).tallies(
                .init(tables: [f.table.id], from: Day("2025-01-01")!, to: Day("2025-12-31")!))
            #expect(outside.total == 0)
            // A second discussion at the same table takes the next number.
            #expect(
                try await Records(db: app.db.sql).find(SituationDiscussion.self, try await f.present(app))?.number
                    == 2)
        }
    }

    @Test func discussionsPresentedTogetherTakeDistinctNumbers() async throws {
        try await withApp { app in
            let f = try await SituationFixture.make(app)
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await api(
                            app, .POST, "/api/v1/discussions", token: f.tokens["health"], json: f.presentBody()
                        ).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .created }, "\(statuses)")
            let numbers = try await Discussions(db: app.db, author: .commandLine, settings: app.settings).list(
                tables: [f.table.id], limit: 20, offset: 0
            )
            .compactMap(\.number)
            #expect(numbers.sorted() == Array(1...8))
        }
    }

    @Test func aRejectedDiscussionKeepsOnlyWhatTheRTDKeepsAndRefusesTheRest() async throws {
        try await withApp { app in
            let f = try await SituationFixture.make(app)
            let id = try await f.present(app)
            #expect(try await f.event(app, id, #"{"event":"reject"}"#).status == .ok)
            let shown = try await api(app, .GET, "/api/v1/discussions/\(id)", token: f.tokens["school"])
            #expect(shown.status == .ok)
            for gone in ["summary", "riskFactors", "protectiveFactors", "Chronic absence"] {
                #expect(!shown.body.string.contains(gone), "\(gone)")
            }
            let again = try await api(
                app, .PUT, "/api/v1/discussions/\(id)", token: f.tokens["health"],
                json:
                    #"{"presentedOn":"2026-03-02","discussionType":"person","ageBand":"16-17","gender":"female","originatingSector":"education","riskFactors":["alcohol.use_by_person"]}"#
            )
            #expect(again.status == .unprocessableEntity)
            #expect(
                again.body.string.contains(#""field":"riskFactors""#)
                    && again.body.string.contains("rejected discussion"))
            // The audit log names the fields that changed, never their values, so the redaction is complete.
            #expect(!(try await f.auditText(app)).contains("Chronic absence"))
            // And the page shows none of it either.
            let browser = Browser(app)
            _ = try await browser.signIn("school@test.ca")
            let page = try await browser.get("/discussions/\(id)")
            #expect(
                page.status == .ok && !page.body.string.contains("Chronic absence")
                    && !page.body.string.contains("Truancy"))
        }
    }

    @Test func impossibleTransitionsAreRefusedWithTheReason() async throws {
        try await withApp { app in
            let f = try await SituationFixture.make(app)
            let id = try await f.present(app)
            let early = try await f.event(app, id, #"{"event":"record_first_contact","firstContactOn":"2026-03-04"}"#)
            #expect(early.status == .unprocessableEntity && early.body.string.contains("intervention is planned"))
            let unknown = try await f.event(app, id, #"{"event":"teleport"}"#)
            #expect(unknown.status == .unprocessableEntity && unknown.body.string.contains(#""field":"event""#))
            let plan = try await f.event(
                app, id,
                #"{"event":"plan_intervention","leadOrganizationId":"\#(f.health.id)","firstContactPlannedOn":"2026-03-03"}"#
            )
            #expect(plan.status == .unprocessableEntity && plan.body.string.contains("accepted"))
            // The status is set by events only.
            let forced = try await api(
                app, .PUT, "/api/v1/discussions/\(id)", token: f.tokens["health"], json: #"{"status":"concluded"}"#)
            #expect(forced.status == .unprocessableEntity && forced.body.string.contains(#""field":"status""#))
        }
    }

    @Test func identifiersInFreeTextAreRefusedWhereTheyAreInTheReadersLanguage() async throws {
        try await withApp { app in
            let f = try await SituationFixture.make(app)
            let phone = try await api(
                app, .POST, "/api/v1/discussions", token: f.tokens["health"],
                json: f.presentBody(summary: "Mother reachable at 519-555-0143."))
            #expect(phone.status == .unprocessableEntity)
            #expect(
                phone.body.string.contains(#""field":"summary""#)
                    && phone.body.string.contains("phone number (at character 21)"))
            let browser = Browser(app)
            browser.language = "fr"
            _ = try await browser.signIn("health@test.ca")
            _ = try await browser.get("/discussions/new?tableId=\(f.table.id)")
            let form = try await browser.post(
                "/discussions",
                [
                    ("tableId", "\(f.table.id)"), ("presentedOn", "2026-03-02"), ("discussionType", "family"),
                    ("ageBand", "multiple"),
                    ("gender", "multiple"), ("originatingSector", "police"),
                    ("summary", "Famille au 12 rue Principale, N9A 6T3."),
                ])
            #expect(form.status == .unprocessableEntity && form.body.string.contains("adresse municipale"))
            #expect(
                try await Discussions(db: app.db, author: .commandLine, settings: app.settings).count(tables: [
                    f.table.id
                ]) == 0)

            // A name an admin adds is refused from then on; a retired shipped name is not.
            let clean = f.presentBody(summary: "Zebulon stays out late; Kevin is the youth worker's example name.")
            let admin = Browser(app)
            _ = try await admin.signIn("admin@test.ca")
            _ = try await admin.get("/guarded-names")
            #expect(
                try await admin.post("/guarded-names", [("name", "Zebulon"), ("active", "true")]).status == .seeOther)
            #expect(
                try await admin.post("/guarded-names", [("name", "Kevin"), ("active", "false")]).status == .seeOther)
            let refused = try await api(app, .POST, "/api/v1/discussions", token: f.tokens["health"], json: clean)
            #expect(
                refused.status == .unprocessableEntity
                    && refused.body.string.contains("guarded-names list (at character 1)"))
            _ = try await admin.post("/guarded-names", [("name", "Zebulon"), ("active", "false")])
            #expect(
                try await api(app, .POST, "/api/v1/discussions", token: f.tokens["health"], json: clean).status
                    == .created)
            // Only admins change the list.
            let coordinator = Browser(app)
            _ = try await coordinator.signIn("coordinator@test.ca")
            _ = try await coordinator.get("/guarded-names")
            #expect(
                try await coordinator.post("/guarded-names", [("name", "Nobody"), ("active", "true")]).status
                    == .forbidden)
        }
    }

    @Test func theCompartmentOpensOnlyForTheAssignedAgenciesAndEveryLookIsAudited() async throws {
        try await withApp { app in
            let f = try await SituationFixture.make(app)
            let id = try await f.planned(app)
            let seal =
                #"{"reason":"planning the joint visit","name":"Jordan Sample","dateOfBirth":"2009-07-12","address":"1 Test Street","contactNotes":"Text first"}"#
            #expect(
                try await api(app, .PUT, "/api/v1/discussions/\(id)/compartment", token: f.tokens["health"], json: seal)
                    .status == .noContent)
            let read = { (who: String?) in
                try await api(
                    app, .POST, "/api/v1/discussions/\(id)/compartment/read", token: who,
                    json: #"{"reason":"checking our involvement"}"#)
            }
            let school = try await read(f.tokens["school"])
            #expect(school.status == .ok && school.body.string.contains("Jordan Sample"))
            // At the table but not assigned; not at the table; the admin; the public.
            #expect(try await read(f.tokens["shelter"]).status == .forbidden)
            #expect(try await read(f.base.tokens[.coordinator]).status == .forbidden)
            #expect(try await read(f.base.tokens[.admin]).status == .forbidden)
            #expect(try await read(nil).status == .unauthorized)
            let noReason = try await api(
                app, .POST, "/api/v1/discussions/\(id)/compartment/read", token: f.tokens["school"],
                json: #"{"reason":""}"#)
            #expect(noReason.status == .unprocessableEntity && noReason.body.string.contains(#""field":"reason""#))
            let namedReason = try await api(
                app, .POST, "/api/v1/discussions/\(id)/compartment/read", token: f.tokens["school"],
                json: #"{"reason":"calling Mrs. Sample back"}"#)
            #expect(namedReason.status == .unprocessableEntity)

            let entries = try await AuditLog.page(on: app.db.sql, limit: 1000, offset: 0).filter {
                $0.subject == "compartment" && $0.action != "refused"
            }
            #expect(entries.map(\.action).sorted() == ["edit", "view"])
            #expect(entries.allSatisfy { ($0.after ?? "").contains("reason") })
            #expect(entries.first { $0.action == "view" }?.actorLabel == "school@test.ca")
            #expect(!(try await f.auditText(app)).contains("Jordan"))

            // The web page asks for the reason before it shows anything.
            let browser = Browser(app)
            _ = try await browser.signIn("school@test.ca")
            let ask = try await browser.get("/discussions/\(id)/compartment")
            #expect(
                ask.status == .ok && !ask.body.string.contains("Jordan") && ask.body.string.contains(#"name="reason""#))
            let open = try await browser.post(
                "/discussions/\(id)/compartment/open", [("reason", "preparing the door knock")])
            #expect(open.status == .ok && open.body.string.contains("Jordan Sample"))
            let other = Browser(app)
            _ = try await other.signIn("shelter@test.ca")
            #expect(try await other.get("/discussions/\(id)/compartment").status == .forbidden)
            #expect(try await other.get("/discussions/\(id)").status == .ok)
            // Reads of identifiable information are in the log: the refused attempt, the reads, the export.
            _ = try await browser.get("/tables/\(f.table.id)/discussions.csv")
            let log = try await AuditLog.page(on: app.db.sql, limit: 50, offset: 0)
            func logged(_ action: String, _ subject: String, by actor: String) -> Bool {
                log.contains { $0.action == action && $0.subject == subject && $0.actorLabel == actor }
            }
            #expect(logged("refused", "compartment", by: "shelter@test.ca"))
            #expect(logged("read", "situationDiscussion", by: "shelter@test.ca"))
            #expect(logged("export", "situationDiscussion", by: "school@test.ca"))
            // A page read again is logged again: logging moves the data stamp, so such a page is never kept.
            func reads() async throws -> Int {
                try await AuditLog.page(on: app.db.sql, limit: 1000, offset: 0).filter {
                    $0.action == "read" && $0.subject == "situationDiscussion" && $0.actorLabel == "shelter@test.ca"
                }.count
            }
            let before = try await reads()
            app.pages.removeAll()
            #expect(try await other.get("/discussions/\(id)").status == .ok)
            #expect(try await reads() == before + 1)
            // Nor is it kept for a reader who asks at the same moment: it was made while something committed (its
            // own log entry), so it is not kept at all.
            #expect(app.pages.count == 0)
        }
    }

    @Test func aConcludedDiscussionsCompartmentIsShreddedAndCannotBeOpened() async throws {
        let store = TestDatabase.fresh()
        try await withApp(store: store) { app in
            let f = try await SituationFixture.make(app)
            let id = try await f.planned(app)
            let seal = #"{"reason":"planning the joint visit","name":"Quillon Marchetti","address":"77 Unusual Lane"}"#
            #expect(
                try await api(app, .PUT, "/api/v1/discussions/\(id)/compartment", token: f.tokens["health"], json: seal)
                    .status == .noContent)
            _ = try await f.event(app, id, #"{"event":"record_first_contact","firstContactOn":"2026-03-04"}"#)
            let sealed = try #require(try await Compartments(db: app.db, cipher: nil).row(id))
            if case .sqlite(let path) = store {
                // The key is in the file or its write-ahead log now, so its absence after shredding means something.
                #expect(try TestDatabase.bytes(path).range(of: try #require(sealed.wrappedKey)) != nil)
            }
            _ = try await f.event(
                app, id,
                #"{"event":"conclude","conclusionOutcome":"still_aer","conclusionReason":"still_aer.refused","concludedOn":"2026-03-20"}"#
            )
            // Conclusion queued the shredding job; run it as the worker would.
            let job = try #require(try await JobQueue.claim(on: app.db.sql, worker: "test", at: app.clock.now))
            #expect(job.kind == ShredJob.name)
            #expect(await JobQueue.run(job, db: app.db, settings: app.settings, logger: app.logger) == .succeeded)

            let row = try #require(try await Compartments(db: app.db, cipher: nil).row(id))
            #expect(row.wrappedKey == nil && row.shreddedAt != nil && row.ciphertext == sealed.ciphertext)
            let cipher = try #require(app.settings.compartmentCipher)
            #expect(throws: CompartmentCipher.Failure.shredded) {
                try cipher.open(SealedCompartment(wrappedKey: nil, ciphertext: row.ciphertext), discussion: id)
            }
            // Not even the old wrapped key, had anyone kept it, would be found in the file any more; and the plaintext never was.
            let read = try await api(
                app, .POST, "/api/v1/discussions/\(id)/compartment/read", token: f.tokens["health"],
                json: #"{"reason":"closing the file"}"#)
            #expect(read.status == .conflict && read.body.string.contains("destroyed"))
            #expect(try await f.auditText(app).contains("shred compartment"))
            if case .sqlite(let path) = store {
                let bytes = try TestDatabase.bytes(path)
                for secret in ["Quillon", "Marchetti", "Unusual Lane"] {
                    #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret)")
                }
                #expect(bytes.range(of: try #require(sealed.wrappedKey)) == nil)
            }
        }
    }

    @Test func withoutAMasterKeyTheCompartmentSaysWhatIsMissing() async throws {
        try await withApp(masterKey: false) { app in
            let f = try await SituationFixture.make(app)
            let id = try await f.planned(app)
            let res = try await api(
                app, .PUT, "/api/v1/discussions/\(id)/compartment", token: f.tokens["health"],
                json: #"{"reason":"planning the joint visit","name":"A"}"#)
            #expect(res.status == .conflict && res.body.string.contains("WELLPLAN_MASTER_KEY"))
        }
    }

    /// A quarter comes out a month after it ends, judged by the server's clock: the day before, its
    /// statistics are refused beyond the table and the latest release is the quarter before; on the day, both move.
    @Test(arguments: [("2026-01-31", false), ("2026-02-01", true)])
    func aQuarterComesOutOnTheDayTheClockSays(today: String, isOut: Bool) async throws {
        try await withApp(settings: { $0.clock = .fixed(Day(today)!) }) { app in
            let f = try await SituationFixture.make(app)
            let coordinator = f.base.tokens[.coordinator]
            let quarter = try await api(
                app, .GET, "/api/v1/tables/\(f.table.id)/statistics?period=2025-Q4", token: coordinator)
            #expect(quarter.status == (isOut ? .ok : .unprocessableEntity), "\(today): \(quarter.body.string)")
            // The public page shows the latest release, and lists no quarter that is not out.
            let page = try await Browser(app).get("/public/situation-tables/\(f.table.id)/statistics").body.string
            let heading = try #require(page.firstRange(of: "<h1").map { String(page[$0.lowerBound...].prefix(300)) })
            let latest = Period.quarter(2025, isOut ? 4 : 3).label(.en)
            #expect(heading.contains(latest), "\(today): \(heading)")
            #expect(page.contains("period=2025-Q4") == isOut)
            // The new discussion's form is dated the clock's day.
            let browser = Browser(app)
            _ = try await browser.signIn("member@test.ca")
            #expect(try await browser.get("/discussions/new").body.string.contains("value=\"\(today)\""))
        }
    }

    @Test func aCoordinatorAwayFromTheTableSeesStatisticsOnlyAndThePublicOnlyPublishedTables() async throws {
        try await withApp { app in
            let f = try await SituationFixture.make(app)
            let id = try await f.present(app)
            let coordinator = f.base.tokens[.coordinator]
            #expect(try await api(app, .GET, "/api/v1/discussions/\(id)", token: coordinator).status == .forbidden)
            let list = try await api(app, .GET, "/api/v1/discussions", token: coordinator)
            #expect(list.status == .forbidden || list.body.string.contains(#""total":0"#))
            #expect(
                try await api(app, .GET, "/api/v1/tables/\(f.table.id)/meeting", token: coordinator).status
                    == .forbidden)
            // Beyond the table, only released periods: never the running one, never chosen days.
            let partners = try await api(
                app, .GET, "/api/v1/tables/\(f.table.id)/statistics?period=2025-Q4", token: coordinator)
            #expect(partners.status == .ok && partners.body.string.contains(#""audience":"partners""#))
            let running = try await api(
                app, .GET, "/api/v1/tables/\(f.table.id)/statistics?period=\(app.clock.today.year)", token: coordinator)
            #expect(running.status == .unprocessableEntity && running.body.string.contains("period"))
            let chosen = try await api(
                app, .GET, "/api/v1/tables/\(f.table.id)/statistics?from=2025-01-01&to=2025-12-03", token: coordinator)
            #expect(chosen.status == .unprocessableEntity && chosen.body.string.contains("from"))
            let month = try await api(
                app, .GET, "/api/v1/tables/\(f.table.id)/statistics?period=2025-03", token: coordinator)
            #expect(month.status == .unprocessableEntity)
            // The table's own members see it live, over any days.
            let own = try await api(
                app, .GET, "/api/v1/tables/\(f.table.id)/statistics?from=2020-01-01&to=2030-12-31",
                token: f.tokens["shelter"])
            #expect(own.status == .ok && own.body.string.contains(#""discussions":null"#) == false)
            let edges = "/api/v1/tables/\(f.table.id)/statistics?from=1900-01-01&to=9999-12-31"
            #expect(try await api(app, .GET, edges, token: f.tokens["shelter"]).status == .ok)
            #expect(
                try await api(app, .GET, "/api/v1/tables/\(f.table.id)/statistics", token: nil).status == .unauthorized)
            // The plan's situation tables together, released, for partners only.
            let plan = "/api/v1/plans/\(f.base.plan.id)/situation-statistics"
            let whole = try await api(app, .GET, plan + "?period=2025", token: coordinator)
            #expect(whole.status == .ok && whole.body.string.contains(#""minimum":5"#))
            #expect(
                try await api(app, .GET, plan + "?from=2020-01-01&to=2026-12-31", token: coordinator).status
                    == .unprocessableEntity)
            // Periods at and past the edges of the calendar are refused, never a stopped server (1893-Q1 once was).
            for text in ["1893-Q1", "1800", "0000", "9999-Q4", "Q1%202201", "1899-12-01/1900-01-31"] {
                #expect(
                    try await api(app, .GET, plan + "?period=\(text)", token: coordinator).status
                        == .unprocessableEntity, "\(text)")
            }
            #expect(try await api(app, .GET, plan, token: nil).status == .unauthorized)
            let published = try await api(
                app, .GET, "/api/v1/public/situation-tables/\(f.table.id)/statistics?period=2026-Q1", token: nil)
            #expect(published.status == .ok && published.body.string.contains(#""minimum":10"#))
            // One discussion: the public learns nothing of it beyond zeros.
            let stats = try JSONDecoder().decode(DiscussionStatistics.self, from: Data(published.body.string.utf8))
            #expect(stats.discussions == nil)
            #expect(stats.sections.allSatisfy { $0.table.cells.joined().allSatisfy { $0 == nil || $0 == 0 } })
            let page = try await Browser(app).get("/public/situation-tables/\(f.table.id)/statistics?period=2026-Q1")
            #expect(page.status == .ok && page.body.string.contains("withheld"))
            // The published plan's public page leads there.
            _ = try await PlanVersions.publish(f.base.plan.id, note: nil, on: app.db, .commandLine)
            let publicPlan = try await Browser(app).get("/public/plans/\(f.base.plan.id)")
            #expect(
                publicPlan.status == .ok
                    && publicPlan.body.string.contains("/public/situation-tables/\(f.table.id)/statistics"))
            // The meeting view is the table's own.
            #expect(
                try await api(app, .GET, "/api/v1/tables/\(f.table.id)/meeting", token: f.tokens["shelter"]).status
                    == .ok)
        }
    }

    /// Beyond its members, a table's statistics go where its members chose: nowhere, partners, or the public.
    @Test func aTableSharesItsStatisticsOnlyAsItsMembersChose() async throws {
        try await withApp { app in
            let f = try await SituationFixture.make(app)
            let store = Records(db: app.db.sql)
            let w = RecordWriter(db: app.db, author: .commandLine)
            let coordinator = f.base.tokens[.coordinator]
            let paths = (
                partners: "/api/v1/tables/\(f.table.id)/statistics?period=2025",
                public: "/api/v1/public/situation-tables/\(f.table.id)/statistics?period=2025"
            )
            for (sharing, partners, everyone) in [
                (nil, false, false), (PartnerTable.StatisticsSharing.partners, true, false), (.public, true, true),
            ] {
                let before = try #require(try await store.find(PartnerTable.self, f.table.id))
                var table = before
                table.statisticsShared = sharing?.rawValue
                try await w.update(table, before: before)
                #expect(
                    (try await api(app, .GET, paths.partners, token: coordinator).status == .ok) == partners,
                    "\(String(describing: sharing))")
                #expect(
                    (try await api(app, .GET, paths.public, token: nil).status == .ok) == everyone,
                    "\(String(describing: sharing))")
                // Its own members see it whatever it shares.
                #expect(try await api(app, .GET, paths.partners, token: f.tokens["shelter"]).status == .ok)
            }
            var wrong = PartnerTable(nameEn: "Working group", kind: .workingGroup, statisticsShared: .public)
            #expect(wrong.ruleProblems().map(\.field) == ["statisticsShared"])
            wrong.kind = .situationTable
            #expect(wrong.ruleProblems().isEmpty)
        }
    }

    @Test func publishedStatisticsShowNoCountUnderTheMinimum() async throws {
        try await withApp { app in
            let f = try await SituationFixture.make(app)
            let w = RecordWriter(db: app.db, author: .commandLine)
            var generator = SystemRandomNumberGenerator()
            for n in 1...60 {
                var d = SituationDiscussion(
                    tableId: f.table.id, number: n, presentedOn: Day(year: 2025, month: 1 + n % 12, day: 1 + n % 28)!,
                    discussionType: n % 7 == 0 ? "family" : "person", ageBand: CodeList.ageBands.codes[n % 5 + 3],
                    gender: n % 3 == 0 ? "male" : "female",
                    originatingSector: ["police", "education", "health"][n % 3],
                    riskFactors: TagSet([
                        CodeList.riskFactors.codes.filter { $0.contains(".") }[
                            Int.random(in: 0..<20, using: &generator)]
                    ]))
                d = try DiscussionLifecycle.apply(n % 4 == 0 ? .reject : .accept(on: d.presentedOn), to: d)
                try await w.create(d)
            }
            let published = try await api(
                app, .GET, "/api/v1/public/situation-tables/\(f.table.id)/statistics?year=2025", token: nil)
            let partners = try await api(
                app, .GET, "/api/v1/tables/\(f.table.id)/statistics?year=2025", token: f.tokens["shelter"])
            let publicStats = try JSONDecoder().decode(
                DiscussionStatistics.self, from: Data(published.body.string.utf8))
            let partnerStats = try JSONDecoder().decode(
                DiscussionStatistics.self, from: Data(partners.body.string.utf8))
            #expect(publicStats.discussions == 60 && publicStats.aerShare == 0.75)
            for section in publicStats.sections {
                let t = section.table
                let shown = t.cells.joined() + (t.rowTotals ?? []) + (t.columnTotals ?? []) + [t.grandTotal]
                #expect(shown.allSatisfy { $0 == nil || $0 == 0 || $0! >= 10 }, "\(section.key)")
            }
            let withheld = { (s: DiscussionStatistics) in s.sections.map(\.table.withheldCount).reduce(0, +) }
            #expect(withheld(publicStats) > withheld(partnerStats))
        }
    }

    /// A release stays as it first came out: a discussion entered late, or an edit, changes the table's live
    /// statistics only, and the late discussion is counted in the next release. On the old code the two
    /// readings of 2025-Q1 differed by the late discussion's whole profile.
    @Test func aReleaseStaysAsItFirstCameOutAndALateDiscussionCountsInTheNext() async throws {
        try await withApp { app in
            let f = try await SituationFixture.make(app)
            let w = RecordWriter(db: app.db, author: .commandLine)
            func discussion(_ n: Int, _ day: Day, ageBand: Int = 3) -> SituationDiscussion {
                SituationDiscussion(
                    tableId: f.table.id, number: n, presentedOn: day, discussionType: "person",
                    ageBand: CodeList.ageBands.codes[ageBand + n % 2], gender: n % 2 == 0 ? "male" : "female",
                    originatingSector: "police")
            }
            var first: SituationDiscussion?
            for n in 1...30 {
                let d = discussion(n, Day(year: 2025, month: 1 + n % 3, day: 1 + n % 28)!)
                try await w.create(d)
                first = first ?? d
            }
            for n in 31...42 { try await w.create(discussion(n, Day(year: 2025, month: 4 + n % 3, day: 2)!)) }
            let paths = [
                "/api/v1/public/situation-tables/\(f.table.id)/statistics?period=2025-Q1",
                "/api/v1/plans/\(f.base.plan.id)/situation-statistics?period=2025-Q1",
            ]
            let token = f.base.tokens[.coordinator]
            func read(_ path: String) async throws -> DiscussionStatistics {
                let res = try await api(app, .GET, path, token: path.contains("public") ? nil : token)
                #expect(res.status == .ok, "\(path) \(res.body.string)")
                return try JSONDecoder().decode(DiscussionStatistics.self, from: Data(res.body.string.utf8))
            }
            var before: [DiscussionStatistics] = []
            for path in paths { before.append(try await read(path)) }
            #expect(before[0].discussions == 30)
            // Entered late, in another age band and sector; and an edit to a discussion already released.
            var late = discussion(43, Day(year: 2025, month: 2, day: 10)!, ageBand: 6)
            late.originatingSector = "health"
            try await w.create(late)
            let original = try #require(first)
            var edited = original
            edited.gender = "gender_diverse"
            try await w.update(edited, before: original)
            for (path, earlier) in zip(paths, before) { #expect(try await read(path) == earlier, "\(path)") }
            // The table's members see it live; the next release counts the late discussion.
            let live = try await api(
                app, .GET, "/api/v1/tables/\(f.table.id)/statistics?from=2025-01-01&to=2025-03-31",
                token: f.tokens["shelter"])
            #expect(
                try JSONDecoder().decode(DiscussionStatistics.self, from: Data(live.body.string.utf8)).discussions == 31
            )
            let next = try await read("/api/v1/public/situation-tables/\(f.table.id)/statistics?period=2025-Q2")
            #expect(next.discussions == 13)
            let year = try await read("/api/v1/public/situation-tables/\(f.table.id)/statistics?period=2025")
            #expect(year.discussions == 43)
        }
    }

    /// Every table's quarters are released together, in one pass over the discussions; each quarter
    /// released is what the table's members see live over the same days, counted quarter by quarter.
    @Test func quartersReleasedTogetherMatchEachQuarterCountedAlone() async throws {
        try await withApp { app in
            let f = try await SituationFixture.make(app)
            let w = RecordWriter(db: app.db, author: .commandLine)
            var tables = [f.table.id]
            for name in ["East table", "Quiet table"] {
                let table = PartnerTable(
                    nameEn: name, kind: .situationTable, planId: f.base.plan.id, statisticsShared: .public)
                try await w.create(table)
                tables.append(table.id)
            }
            let factors = CodeList.riskFactors.codes.filter { $0.contains(".") }
            for n in 1...90 {
                // The first two tables only: the third has no discussion and releases empty quarters.
                let table = tables[n % 2]
                var d = SituationDiscussion(
                    tableId: table, number: n,
                    presentedOn: Day(year: 2023 + n % 3, month: 1 + n * 7 % 12, day: 1 + n % 28)!,
                    discussionType: n % 5 == 0 ? "family" : "person", ageBand: CodeList.ageBands.codes[n % 6 + 2],
                    gender: n % 3 == 0 ? "male" : "female",
                    originatingSector: ["police", "education", "health"][n % 3],
                    riskFactors: TagSet([factors[n % 9], factors[n % 4 + 10]]))
                d = try DiscussionLifecycle.apply(n % 4 == 0 ? .reject : .accept(on: d.presentedOn), to: d)
                try await w.create(d)
            }
            let released = ReleasedQuarters(db: app.db, clock: app.clock)
            let counts = DiscussionCounts(db: app.db.sql)
            // Asking for the latest year releases every quarter before it too.
            _ = try await released.tallies(tables, (1...4).map { Period.quarter(2025, $0) })
            for year in 2023...2025 {
                let quarters = (1...4).map { Period.quarter(year, $0) }
                let each = try await released.tallies(tables, quarters)
                for (t, table) in tables.enumerated() {
                    for (q, quarter) in quarters.enumerated() {
                        let alone = try await counts.tallies(
                            .init(tables: [table], from: quarter.start, to: quarter.end.adding(days: -1)))
                        #expect(each[t][q] == alone, "table \(t), \(quarter)")
                    }
                }
            }
            let total = try await released.tallies(
                tables,
                (2023...2025).flatMap { y in
                    (1...4).map { Period.quarter(y, $0) }
                }
            ).joined().reduce(0) { $0 + $1.byStatus.values.reduce(0, +) }
            #expect(total == 90)
        }
    }

    @Test func theMeetingViewFlagsOverdueMobilizations() async throws {
        try await withApp { app in
            let f = try await SituationFixture.make(app)
            let late = try await f.present(app)
            let accepted = app.clock.today.adding(days: -5).description
            let presented = app.clock.today.adding(days: -6).description
            _ = try await api(
                app, .PUT, "/api/v1/discussions/\(late)", token: f.tokens["health"],
                json: f.presentBody(presentedOn: presented)
                    .replacingOccurrences(of: #""tableId":"\#(f.table.id)","#, with: ""))
            #expect(try await f.event(app, late, #"{"event":"accept","acceptedOn":"\#(accepted)"}"#).status == .ok)
            let fresh = try await f.present(app)
            let agenda = try await api(app, .GET, "/api/v1/tables/\(f.table.id)/meeting", token: f.tokens["school"])
            let body = try JSONSerialization.jsonObject(with: Data(agenda.body.string.utf8)) as! [String: Any]
            let ids = { (key: String) in (body[key] as! [[String: Any]]).map { $0["id"] as! String } }
            #expect(ids("overdueMobilizations") == [late.uuidString])
            #expect(ids("newSituations") == [fresh.uuidString])
            let page = try await {
                let b = Browser(app); _ = try await b.signIn("school@test.ca");
                return try await b.get("/tables/\(f.table.id)/meeting")
            }()
            #expect(page.status == .ok && page.body.string.contains("/discussions/\(late)"))
        }
    }

    @Test func historyImportsAllOrNothingAndExportsInTheRTDLayout() async throws {
        try await withApp { app in
            let f = try await SituationFixture.make(app)
            _ = try await f.present(app)
            let header =
                "discussion_id,date_presented,status,discussion_type,age_group,gender,originating_sector,lead_agency,assisting_sectors,risk_factors,date_accepted,date_first_contact,date_concluded,conclusion_outcome,conclusion_reason\n"
            let good =
                "7,2024-05-01,Concluded,Person,16–17,Female,Police,Health unit,Education,Alcohol use by person; Drug use by person,2024-05-01,2024-05-02,2024-06-01,Overall risk lowered,risk_lowered.connected\n"
                + ",2024-05-08,Rejected,Family,multiple,multiple,education,,N/A,N/A,,,,,\n"
            let bad = good + "9,2024-05-09,Accepted,person,16-17,female,police,,,,,,,,\n"
            let refused = try await api(
                app, .POST, "/api/v1/tables/\(f.table.id)/discussions/import", token: f.tokens["school"],
                json: header + bad,
                contentType: HTTPMediaType(type: "text", subType: "csv"))
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("line 4: date_accepted"))
            let discussions = Discussions(db: app.db, author: .commandLine, settings: app.settings)
            #expect(try await discussions.count(tables: [f.table.id]) == 1)
            let imported = try await api(
                app, .POST, "/api/v1/tables/\(f.table.id)/discussions/import", token: f.tokens["school"],
                json: header + good,
                contentType: HTTPMediaType(type: "text", subType: "csv"))
            #expect(
                imported.status == .created && imported.body.string.contains(#""imported":2"#),
                "\(imported.body.string)")
            let all = try await discussions.list(tables: [f.table.id], limit: 10, offset: 0)
            #expect(Set(all.compactMap(\.number)) == [1, 7, 8])
            let concluded = try #require(all.first { $0.number == 7 })
            #expect(
                concluded.leadOrganizationId == f.health.id && concluded.assistingOrganizations == [f.school.id]
                    && concluded.mobilizationDays == 1)

            let csv = try await api(
                app, .GET, "/api/v1/tables/\(f.table.id)/discussions.csv", token: f.tokens["shelter"])
            #expect(csv.status == .ok && csv.headers.contentType?.subType == "csv")
            let lines = csv.body.string.split(separator: "\r\n")
            #expect(lines.count == 4 && lines[0].hasPrefix("discussion_id,date_presented"))
            #expect(lines[3].contains("Rejected") && lines[3].contains("N/A"))
            #expect(!csv.body.string.contains("Chronic absence"))  // the narrative is not an RTD field
            #expect(
                try await api(
                    app, .GET, "/api/v1/tables/\(f.table.id)/discussions.csv", token: f.base.tokens[.coordinator]
                ).status == .forbidden)

            // The page takes the same file as an upload.
            let browser = Browser(app)
            _ = try await browser.signIn("school@test.ca")
            #expect(try await browser.get("/tables/\(f.table.id)/discussions/import").status == .ok)
            let boundary = "wellplan-test-boundary"
            let form =
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(browser.csrf)\r\n--\(boundary)\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"history.csv\"\r\nContent-Type: text/csv\r\n\r\n"
                + header + "20,2023-01-05,Returned,person,60+,male,health,,,,,,,,\n\r\n--\(boundary)--\r\n"
            var status: HTTPStatus = .internalServerError
            try await app.testing().test(
                .POST, "/tables/\(f.table.id)/discussions/import",
                beforeRequest: { req in
                    req.headers.replaceOrAdd(
                        name: .cookie, value: browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
                    req.headers.contentType = HTTPMediaType(
                        type: "multipart", subType: "form-data", parameters: ["boundary": boundary])
                    req.body = ByteBuffer(string: form)
                }
            ) { res in status = res.status }
            #expect(status == .ok)
            #expect(try await discussions.count(tables: [f.table.id]) == 4)
        }
    }

    @Test func adminsEditTheSituationTableCodeListsWithHistory() async throws {
        try await withApp { app in
            let f = try await SituationFixture.make(app)
            let admin = f.base.tokens[.admin]
            let flag =
                #"{"code":"test_wildfire_evacuation","en":"Wildfire evacuation","fr":"Évacuation (feux de forêt)","provisional":true}"#
            #expect(
                try await api(
                    app, .POST, "/api/v1/code-lists/study_flags/entries", token: f.base.tokens[.coordinator], json: flag
                ).status == .forbidden)
            let added = try await api(app, .POST, "/api/v1/code-lists/study_flags/entries", token: admin, json: flag)
            #expect(added.status == .created && added.body.string.contains("test_wildfire_evacuation"))
            let refused = try await api(
                app, .POST, "/api/v1/code-lists/discussion_statuses/entries", token: admin, json: flag)
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("not edited here"))

            // The new entry is offered and accepted at once.
            let body = f.presentBody().replacingOccurrences(
                of: #""protectiveFactors""#, with: #""studyFlags":["test_wildfire_evacuation"],"protectiveFactors""#)
            #expect(
                try await api(app, .POST, "/api/v1/discussions", token: f.tokens["health"], json: body).status
                    == .created)
            let browser = Browser(app)
            _ = try await browser.signIn("health@test.ca")
            #expect(try await browser.get("/discussions/new").body.string.contains("Wildfire evacuation"))

            // Retired: no longer offered, still read in the record that holds it; the history keeps both edits.
            let retire =
                #"{"code":"test_wildfire_evacuation","en":"Wildfire evacuation","fr":"Évacuation (feux de forêt)","retired":true}"#
            #expect(
                try await api(app, .POST, "/api/v1/code-lists/study_flags/entries", token: admin, json: retire).status
                    == .created)
            #expect(!(try await browser.get("/discussions/new").body.string.contains("Wildfire evacuation")))
            let detail = try await api(app, .GET, "/api/v1/code-lists/study_flags", token: f.tokens["health"])
            #expect(
                detail.status == .ok
                    && detail.body.string.components(separatedBy: "test_wildfire_evacuation").count == 4)
            let page = Browser(app)
            _ = try await page.signIn("admin@test.ca")
            let history = try await page.get("/code-lists/study_flags")
            #expect(history.status == .ok && history.body.string.contains("admin@test.ca"))
            #expect(
                try await page.post("/code-lists/study_flags", [("code", "Bad Code"), ("en", "x"), ("fr", "x")]).status
                    == .unprocessableEntity)
        }
    }

    /// Another server sharing the database adds an edit: this server's stamp changes, and reading again
    /// puts the edit in force here; an unchanged stamp reads nothing.
    @Test func anEditMadeByAnotherServerIsInForceAfterTheNextStampCheck() async throws {
        try await withApp { app in
            let lists = CodeLists(db: app.db.sql)
            let before = try await lists.reload(unless: nil)
            #expect(try await lists.reload(unless: before) == before)
            let code = "test_edit_from_another_server"
            #expect(!CodeList.named("study_flags").contains(code))

            let edit = CodeListEdit(
                id: UUID(), list: "study_flags", code: code, en: "From another server", fr: "D'un autre serveur",
                group: nil, provisional: true, retired: false, changedBy: "admin@elsewhere.ca",
                changedAt: app.clock.now)
            try await app.db.sql.insert(into: "code_list_edits").model(edit, with: Records.encoder).run()
            #expect(!CodeList.named("study_flags").contains(code))

            let after = try await lists.reload(unless: before)
            #expect(after != before)
            #expect(CodeList.named("study_flags").entry(code)?.label(.fr) == "D'un autre serveur")
        }
    }

    @Test func aCompartmentIsShreddedOnlyWhenItsDayComesAndNeverLeavesInABackup() async throws {
        try await withApp(settings: { $0.shredAfterDays = 30 }) { app in
            let f = try await SituationFixture.make(app)
            let id = try await f.planned(app)
            let seal = #"{"reason":"planning the joint visit","name":"Perpetua Vantongeren"}"#
            #expect(
                try await api(app, .PUT, "/api/v1/discussions/\(id)/compartment", token: f.tokens["health"], json: seal)
                    .status == .noContent)
            _ = try await f.event(app, id, #"{"event":"record_first_contact","firstContactOn":"2026-03-04"}"#)
            _ = try await f.event(
                app, id,
                #"{"event":"conclude","conclusionOutcome":"risk_lowered","conclusionReason":"risk_lowered.informed","concludedOn":"2026-03-20"}"#
            )
            let compartments = Compartments(db: app.db, cipher: app.settings.compartmentCipher)
            #expect(try await compartments.row(id)?.shredOn == Day("2026-04-19"))
            #expect(try await compartments.shredDue(by: Day("2026-04-18")!, .commandLine) == 0)
            #expect(try await compartments.state(id) == .sealed)

            // A backup holds the discussion but nothing of its compartment; restoring it drops the compartment.
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("backup-\(UUID()).jsonl")
            defer { try? FileManager.default.removeItem(at: file) }
            try await app.backup(to: file)
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(
                text.contains(id.uuidString) && !text.contains("Vantongeren")
                    && !text.contains("discussion_compartments"))

            #expect(try await compartments.shredDue(by: Day("2026-04-19")!, .commandLine) == 1)
            #expect(try await compartments.state(id) == .shredded)
            try await app.restore(from: file)
            #expect(try await compartments.state(id) == .empty)
            #expect(
                try await Records(db: app.db.sql).find(SituationDiscussion.self, id)?.lifecycleStatus == .concluded)
        }
    }

    @Test func aMasterKeyFileMustBeReadableByItsOwnerOnly() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("master-\(UUID()).key")
        defer { try? FileManager.default.removeItem(at: file) }
        let key = CompartmentCipher.newMasterKey()
        #expect(
            FileManager.default.createFile(
                atPath: file.path, contents: Data(key.utf8), attributes: [.posixPermissions: 0o644]))
        #expect(throws: SettingsError.self) { try Settings.keyFile(file.path) }
        do { _ = try Settings.keyFile(file.path) } catch { #expect("\(error)".contains("chmod 600")) }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        let loaded = try CompartmentCipher(base64: try Settings.keyFile(file.path))
        let discussion = UUID()
        let sealed = try CompartmentCipher(base64: key).seal(
            LimitedIdentifiers(name: "A"), discussion: discussion, wrappedKey: nil)
        #expect(try loaded.open(sealed, discussion: discussion).name == "A")
    }

    @Test func everyDiscussionRouteRefusesThoseAwayFromTheTable() async throws {
        try await withApp { app in
            let f = try await SituationFixture.make(app)
            let id = try await f.planned(app)
            var checked = 0
            for route in app.routes.all {
                let path = "/" + route.path.map(\.description).joined(separator: "/")
                guard path.contains("discussions") || path.hasSuffix("/meeting") else { continue }
                let concrete = path.replacingOccurrences(of: "tables/:id", with: "tables/\(f.table.id)")
                    .replacingOccurrences(of: ":id", with: id.uuidString)
                for (who, token) in [("coordinator", f.base.tokens[.coordinator]), ("admin", f.base.tokens[.admin])] {
                    let status: HTTPStatus
                    if concrete.hasPrefix("/api/") {
                        status = try await api(
                            app, route.method, concrete, token: token, json: route.method == .GET ? nil : "{}"
                        ).status
                    } else {
                        let browser = Browser(app)
                        _ = try await browser.signIn("\(who)@test.ca")
                        status =
                            route.method == .GET
                            ? try await browser.get(concrete).status : try await browser.post(concrete, []).status
                    }
                    #expect(
                        status == .forbidden || status == .unsupportedMediaType,
                        "\(who) \(route.method) \(concrete) answered \(status)")
                    checked += 1
                }
            }
            #expect(checked >= 30)
        }
    }
}

/// A release is worked out once for the same inputs and anew for any other, however many ask at once, and
/// off the threads requests run on; what it gives is what working it out gives.
@Suite struct ReleaseMemoTests {
    static let quarters: [[DiscussionTallies]] = {
        var quarter = DiscussionTallies()
        quarter.byStatus = ["concluded": 14, "active": 3, "rejected": 2]
        quarter.originatingSectors = ["police": 12, "education": 4, "health": 3]
        return [[quarter, quarter, quarter, quarter], [quarter, DiscussionTallies(), quarter, quarter]]
    }()

    @Test func aReleaseIsWorkedOutOnceForTheSameInputsAndAgainForOthers() async throws {
        let quarters = Self.quarters, quarter = quarters[0][0]
        let memo = ReleaseMemo(capacity: 2)
        let direct = StatisticsRelease.statistics(
            .year(2025), quarters: quarters, withPlan: true, policy: DisclosurePolicy(), audience: .partners)
        for _ in 0..<3 {
            let kept = try await memo.statistics(
                .year(2025), quarters: quarters, withPlan: true, policy: DisclosurePolicy(), audience: .partners)
            #expect(kept.tables == direct.tables && kept.plan == direct.plan)
        }
        #expect(memo.workedOut == 1)
        // The public's release of the same inputs was worked out with the partners'.
        let forPublic = try await memo.statistics(
            .year(2025), quarters: quarters, withPlan: true, policy: DisclosurePolicy(), audience: .publicRelease)
        #expect(forPublic.tables.allSatisfy { $0.audience == .publicRelease } && memo.workedOut == 1)
        // Another minimum, another plan, other tallies: each a release of its own.
        _ = try await memo.statistics(
            .year(2025), quarters: quarters, withPlan: true, policy: DisclosurePolicy(partnerMinimum: 3),
            audience: .partners)
        _ = try await memo.statistics(
            .year(2025), quarters: quarters, withPlan: false, policy: DisclosurePolicy(), audience: .publicRelease)
        var more = quarter
        more.byStatus["active"] = 4
        _ = try await memo.statistics(
            .year(2025), quarters: [[more, quarter, quarter, quarter]], withPlan: false, policy: DisclosurePolicy(),
            audience: .publicRelease)
        #expect(memo.workedOut == 4)
    }

    /// Eight readers asking at once for a new release wait for one working out; a reader who cannot wait is
    /// told so at once (the page answers 503 and when to try again), and the work goes on for the next.
    @Test func manyAskingAtOnceWaitForOneWorkingOutAndTheImpatientAreToldToComeBack() async throws {
        let memo = ReleaseMemo()
        let quarters = Self.quarters
        await #expect(throws: StillWorking.self) {
            _ = try await memo.statistics(
                .year(2025), quarters: quarters, withPlan: true, policy: DisclosurePolicy(), audience: .partners,
                patience: .zero)
        }
        let plans = try await withThrowingTaskGroup(of: DiscussionStatistics?.self) { group in
            for n in 0..<8 {
                group.addTask {
                    try await memo.statistics(
                        .year(2025), quarters: quarters, withPlan: true, policy: DisclosurePolicy(),
                        audience: n.isMultiple(of: 2) ? .partners : .publicRelease
                    ).plan
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(plans.count == 8 && plans.allSatisfy { $0 != nil })
        #expect(memo.workedOut == 1)
    }
}
