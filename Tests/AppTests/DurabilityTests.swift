import FluentSQLiteDriver
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
import WellplanCore

@testable import App

@Suite struct DurabilityTests {
    @Test func twoServersShareSignInsAndRunEachJobOnce() async throws {
        let store = TestDatabase.fresh()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jobs-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try await withApp(store: store, keep: true) { first in
            _ = try await Fixture.make(first)
            try await withApp(store: store) { second in
                let browser = Browser(first)
                #expect(try await browser.signIn("admin@test.ca").status == .seeOther)
                let elsewhere = Browser(second)
                elsewhere.cookies = browser.cookies
                #expect(try await elsewhere.get("/audit").status == .ok)

                for i in 0..<12 {
                    _ = try await JobQueue.enqueue(
                        BackupJob.self, payload: folder.appendingPathComponent("\(i).jsonl").path,
                        on: first.db.sql, .commandLine)
                }
                func drain(_ app: Application, _ name: String) async throws -> Int {
                    var ran = 0
                    while let job = try await JobQueue.claim(on: app.db.sql, worker: name, at: app.clock.now) {
                        #expect(
                            await JobQueue.run(job, db: app.db, settings: app.settings, logger: app.logger)
                                == .succeeded)
                        ran += 1
                    }
                    return ran
                }
                async let a = drain(first, "server-a")
                async let b = drain(second, "server-b")
                let (ranA, ranB) = try await (a, b)
                #expect(ranA + ranB == 12)
                let jobs = try await second.db.sql.select().column("*").from("jobs").all(
                    decoding: Job.self, with: Records.decoder)
                #expect(jobs.allSatisfy { $0.state == .succeeded && $0.attempts == 1 && $0.progress == 1 })
                #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).count == 12)
            }
        }
    }

    /// A job left running by a server that stopped goes back to the queue (or fails after its last
    /// attempt); a job another live server runs is left alone.
    @Test func jobsLeftRunningByAStoppedServerAreTakenUp() async throws {
        try await withApp { app in
            let db = app.db.sql
            let host = ProcessInfo.processInfo.hostName
            let ended = Process()
            ended.executableURL = URL(fileURLWithPath: "/bin/true")
            try ended.run()
            ended.waitUntilExit()
            func running(_ claimedBy: String, heartbeat: Timestamp, attempts: Int = 1) async throws -> UUID {
                let job = try await JobQueue.enqueue(BackupJob.self, payload: "x", on: db, .commandLine)
                try await db.update("jobs").set("state", to: SQLBind("running")).set(
                    "claimed_by", to: SQLBind(claimedBy)
                )
                .set("heartbeat_at", to: SQLBind(heartbeat)).set("attempts", to: SQLBind(attempts))
                .where("id", .equal, SQLBind(job.id)).run()
                return job.id
            }
            let now = app.clock.now, stale = now.adding(seconds: -(JobQueue.lease + 1))
            let stoppedHere = try await running("\(host):\(ended.processIdentifier)/a", heartbeat: now)
            let alive = try await running("\(JobQueue.workerName)/b", heartbeat: stale)
            let silentElsewhere = try await running("elsewhere.example:42/c", heartbeat: stale)
            let busyElsewhere = try await running("elsewhere.example:43/d", heartbeat: now)
            let lastAttempt = try await running("\(host):\(ended.processIdentifier)/e", heartbeat: now, attempts: 3)

            #expect(try await JobQueue.reclaimAbandoned(on: db, host: host, now: now) == 3)
            func state(_ id: UUID) async throws -> Job.State? { try await JobQueue.find(id, on: db)?.state }
            #expect(try await state(stoppedHere) == .queued)
            #expect(try await state(silentElsewhere) == .queued)
            #expect(try await state(alive) == .running)
            #expect(try await state(busyElsewhere) == .running)
            #expect(try await state(lastAttempt) == .failed)
            #expect(try await JobQueue.find(stoppedHere, on: db)?.error?.contains("stopped") == true)
        }
    }
}

@Suite struct PlanTests {
    @Test func aPublishedVersionStaysAsItWasAndTheNextOneShowsWhatChanged() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let coordinator = f.tokens[.coordinator]!
            let first = try await api(
                app, .POST, "/api/v1/plans/\(f.plan.id)/versions", token: coordinator, json: #"{"note":"adopted"}"#)
            #expect(first.status == .created)
            let before = try await api(app, .GET, "/api/v1/plans/\(f.plan.id)/versions/1", token: coordinator).body
                .string
            var renamed = f.projectA
            renamed.titleEn = "Renamed later"
            try await RecordWriter(db: app.db, author: .commandLine).update(renamed, before: f.projectA)
            #expect(
                try await api(app, .GET, "/api/v1/plans/\(f.plan.id)/versions/1", token: coordinator).body.string
                    == before)
            #expect(
                try await api(app, .POST, "/api/v1/plans/\(f.plan.id)/versions", token: coordinator).status == .created)
            let browser = Browser(app)
            _ = try await browser.signIn("coordinator@test.ca")
            let compare = try await browser.get("/plans/\(f.plan.id)/versions/compare?from=1&to=2")
            #expect(compare.status == .ok && compare.body.string.contains("Renamed later"))
            // the public sees the newest published version, not the live plan
            let publicPage = try await Browser(app).get("/public/plans/\(f.plan.id)")
            #expect(publicPage.status == .ok && publicPage.body.string.contains("Test plan"))
            #expect(
                try await api(app, .POST, "/api/v1/plans/\(f.plan.id)/versions", token: f.tokens[.member]!).status
                    == .forbidden)
        }
    }

    @Test func theDemoRegionCarriesTheSeedFigures() async throws {
        try await withApp { app in
            try await DemoRegion.load(into: app, .init(arguments: []))
            let store = Records(db: app.db.sql)
            let plans = try await store.list(Plan.self)
            #expect(plans.count == 2)
            let we = plans.first { $0.municipality.hasPrefix("Windsor") }!
            let snapshot = try #require(try await PlanSnapshots.snapshot(we.id, store))
            func value(_ statement: String) -> Double? {
                snapshot.outputs.first { $0.statementEn == statement }.flatMap {
                    snapshot.outputValues[$0.id.uuidString]
                }
            }
            #expect(value("CPTED audits done") == 20)
            #expect(value("CPTED recommendations made") == 201)
            #expect(value("Recommendations implemented") == 27)
            #expect(value("Special events within the partnerships") == 19)
            // Seed 000's events are events, not typed-in totals: their materials and trainees count into the outputs.
            #expect(value("Safety plans distributed") == 82)
            #expect(value("First responders and service providers trained") == 28)
            let halton = plans.first { $0.municipality.hasPrefix("Halton") }!
            #expect(
                try await store.list(PartnerTable.self, filters: ["planId": halton.id]).filter {
                    $0.kind == .actionTable
                }.count == 7)
            let report = try await ComplianceReports.report(we, store, on: Day("2026-11-21")!)
            #expect(report.isCompliant)
            // Seed 000's consultation, analysed: 100 survey responses, two coders who mostly agree, a public page.
            let consultation = try #require(
                try await store.list(Consultation.self, filters: ["planId": we.id]).first {
                    $0.titleEn.hasPrefix("Leamington")
                })
            #expect(
                try await ResponseImports(db: app.db, author: .commandLine).counts(consultation.id).responses == 100)
            let agreement = try await Codings(db: app.db, author: .commandLine).agreement(consultation)
            let kappas = agreement.pairs.flatMap { $0.byCode.values.map(\.kappa) }
            #expect(kappas.contains { ($0 ?? 1) < 1 } && kappas.contains { $0 == 1 })
            let said = try await Browser(app).get("/public/consultations/\(consultation.id)").body.string
            #expect(said.contains("Hidden violence and exploitation") && !said.contains("Dark streets"))
            // The 82 safety plans handed out at the three events, as the plan's distribution and as event materials alike.
            let ssnapp = try #require(
                try await store.list(NeighbourhoodSafetyPlan.self).first { $0.status == .distributed })
            #expect(
                DistributionCounts(
                    try await store.list(SafetyPlanDistribution.self, filters: ["safetyPlanId": ssnapp.id])
                ).byChannel == [.event: 82])
            #expect(
                try await SafetyPlanVersions(db: app.db).file(ssnapp.id, number: 1)?.data.starts(
                    with: Data("%PDF-1.4".utf8)) == true)
            // Seed 000's workshop: 28 feedback forms, 100 % positive.
            let form = try #require(try await store.list(FeedbackForm.self).first { $0.titleEn.hasPrefix("Trauma") })
            let feedback = try await FeedbackSubmissions(db: app.db, clock: app.clock).results(
                of: form, policy: DisclosurePolicy(), audience: .publicRelease)
            #expect(
                feedback.submissions == 28 && feedback.lines[0].percentAgree == 100
                    && feedback.lines[1].percentAgree! < 100)
            let browser = Browser(app)
            _ = try await browser.signIn("member@wellplan.demo", password: "demo-member-password")
            // Seed 000's WECOSS consultation, in the shape of its slides: methods, strengths, issues grouped, priority areas.
            let wecoss = try #require(
                try await store.list(Consultation.self, filters: ["planId": we.id]).first {
                    $0.titleEn.hasPrefix("WECOSS")
                })
            let slides = try await browser.get("/consultations/\(wecoss.id)/summary").body.string
            for words in [
                "Key-informant interview", "38", "Sustained collaboration and diverse partnerships",
                "Stigma and Discrimination",
                "Fragmented service systems", "Harm Reduction", "Standardize harm reduction practices",
            ] {
                #expect(slides.contains(words), "\(words)")
            }
            // The public dashboard: measures by priority, the rate worked out from its count and population (371 of 446,900).
            let dashboard = try await Browser(app).get("/public/plans/\(we.id)/dashboard").body.string
            for words in [
                "Neighbourhood safety", "Residents who feel safe walking alone after dark", "66.4%", "83.0",
                "Community Well-Being index",
            ] {
                #expect(dashboard.contains(words), "\(words)")
            }
            let page = try await browser.get("/plans/\(we.id)")
            #expect(page.status == .ok && page.body.string.contains("÷"))
            let advisory = try #require(
                try await store.list(PartnerTable.self, filters: ["planId": we.id]).first {
                    $0.kind == .advisoryCommittee
                })
            let members = try await browser.get("/tables/\(advisory.id)").body.string
            #expect(members.contains("Alex Morin · Windsor Police Service · Member"))
            #expect(!members.contains(">\(advisory.id.uuidString)<"))
            browser.language = "fr"
            #expect(
                try await browser.get("/plans/\(we.id)/compliance?lang=fr").body.string.contains("Conformité à la Loi"))
        }
    }

    /// SQLite takes one writer at a time: writes made together queue rather than fail with "database is locked".
    @Test func writesMadeTogetherAllLandOnEitherDatabase() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for i in 0..<8 {
                    group.addTask {
                        try await api(
                            app, .POST, "/api/v1/projects", token: f.tokens[.coordinator],
                            json: #"{"planId":"\#(f.plan.id)","titleEn":"P\#(i)","status":"planned"}"#
                        ).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .created }, "\(statuses)")
        }
    }

    /// A write transaction that has read must not fail when another connection (a job reporting its
    /// progress) writes before this one's first write: it holds the write lock from its start, so the
    /// other waits its turn. With SQLite's deferred BEGIN the transaction's first write failed at once
    /// with "database is locked" (its snapshot was stale), and the request answered 500.
    @Test func aWriteTransactionThatHasReadStillWritesWhenAnotherConnectionWrites() async throws {
        try await withApp { app in
            try await app.db.sql.raw("CREATE TABLE write_race (n INTEGER)").run()
            let elsewhere = app.jobsDatabase.sql
            let other = try await app.db.writeTransaction { tx in
                _ = try await tx.sql.raw("SELECT count(*) AS n FROM write_race").all()
                let other = Task { try await elsewhere.raw("INSERT INTO write_race (n) VALUES (1)").run() }
                try await Task.sleep(for: .milliseconds(300))
                try await tx.sql.raw("INSERT INTO write_race (n) VALUES (2)").run()
                return other
            }
            try await other.value
            let rows = try await app.db.sql.raw("SELECT n FROM write_race ORDER BY n").all().map {
                try $0.decode(column: "n", as: Int.self)
            }
            #expect(rows == [1, 2])
        }
    }

    /// The command line runs the job it queued, not whichever is oldest: that one stays for the server.
    @Test func theCommandLineClaimsItsOwnJobAndLeavesOlderOnesQueued() async throws {
        try await withApp { app in
            let older = try await JobQueue.enqueue(ShredJob.self, payload: "", on: app.db.sql, .commandLine)
            let mine = try await JobQueue.enqueue(ShredJob.self, payload: "", on: app.db.sql, .commandLine)
            #expect(
                try await JobQueue.claim(on: app.db.sql, worker: "command-line", only: mine.id, at: app.clock.now)?.id
                    == mine.id)
            #expect(
                try await JobQueue.claim(on: app.db.sql, worker: "command-line", only: mine.id, at: app.clock.now)
                    == nil)
            #expect(try await JobQueue.find(older.id, on: app.db.sql)?.state == .queued)
            #expect(try await JobQueue.claim(on: app.db.sql, worker: "server", at: app.clock.now)?.id == older.id)
        }
    }

    /// Only a server works the queue. A command's own worker raced it for the job it had queued and was
    /// cancelled as it ended: `wellplan import incidents` failed now and then with "taken by a running server".
    @Test(.enabled(if: Environment.get("WELLPLAN_JOBS") != "off")) func onlyAServerWorksTheJobQueue() throws {
        func runsJobs(_ arguments: String) throws -> Bool {
            let environment = Environment(
                name: "production", arguments: arguments.split(separator: " ").map(String.init))
            return try Settings(environment: environment).runsJobs
        }
        #expect(try runsJobs("wellplan"))
        #expect(try runsJobs("wellplan serve --port 8080"))
        #expect(try runsJobs("wellplan --port 8080"))
        for command in ["import incidents f.csv", "report annual-progress", "migrate", "audit verify", "purge"] {
            #expect(try !runsJobs("wellplan " + command), "\(command)")
        }
    }

    /// An upload waits in the database, not on the host that took it: a server elsewhere, with an uploads
    /// folder of its own, claims its import and runs it.
    @Test func anUploadsJobIsRunByAServerOnAnotherHost() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let csv = "id,when,what,lon,lat\nA-1,2025-01-02,assault,-83.0,42.3\n"
            let query = "occurredAt=when&category=what&eventId=id&longitude=lon&latitude=lat"
            let accepted = try await api(
                app, .POST, "/api/v1/incidents/import?\(query)", token: f.tokens[.coordinator], json: csv,
                contentType: HTTPMediaType(type: "text", subType: "csv"))
            #expect(accepted.status == .accepted, "\(accepted.body.string)")
            // It waits in the database, byte for byte; nothing is left in this server's uploads folder.
            let waiting = try #require(
                try await app.db.sql.select().columns("id", "file_id").from("incident_imports").first())
            let file = try waiting.decode(column: "file_id", as: UUID.self)
            let upload = try waiting.decode(column: "id", as: UUID.self).uuidString
            #expect(try await StoredFiles(sql: app.db.sql).data(file) == Data(csv.utf8))
            // (Other tests share the folder: this upload's file is the one that must be gone.)
            let left = (try? FileManager.default.contentsOfDirectory(atPath: app.settings.uploads.path)) ?? []
            #expect(!left.contains { $0.contains(upload) }, "\(left)")
            // Another server, with an uploads folder of its own, claims the import and runs it.
            var elsewhere = app.settings
            elsewhere.uploads = FileManager.default.temporaryDirectory.appendingPathComponent("elsewhere-\(UUID())")
            let job = try #require(
                try await JobQueue.claim(on: app.db.sql, worker: "another-host:1", at: app.clock.now))
            #expect(job.kind == IncidentImportJob.name)
            #expect(await JobQueue.run(job, db: app.db, settings: elsewhere, logger: app.logger) == .succeeded)
            #expect(try await app.db.sql.select().column("id").from("incidents").all().count == 1)
            // The upload goes once it is imported, from the database and from the other server's folder.
            #expect(try await StoredFiles(sql: app.db.sql).data(file) == nil)
            #expect(try await app.db.sql.select().column("id").from("stored_file_chunks").all().isEmpty)
            let copies = (try? FileManager.default.contentsOfDirectory(atPath: elsewhere.uploads.path)) ?? []
            #expect(copies.isEmpty, "\(copies)")
        }
    }

    /// Rows decode to the same records through the remembered column names as through SQLKit's own
    /// snake-case strategy, for every kind that has rows, and jobs too.
    @Test func rememberedColumnNamesDecodeAsSQLKitsOwnRule() async throws {
        try await withApp { app in
            _ = try await Fixture.make(app)
            _ = try await JobQueue.enqueue(ShredJob.self, payload: "", on: app.db.sql, .commandLine)
            let sqlKits = SQLRowDecoder(keyDecodingStrategy: .convertFromSnakeCase)
            var kindsWithRows = 0
            for kind in RecordKind.allCases {
                func same<R: Record>(_ type: R.Type) async throws -> Int {
                    let rows = try await app.db.sql.select().column("*").from(kind.table).orderBy("id").all()
                    let ours = try rows.map { try $0.decode(model: R.self, with: Records.decoder) }
                    #expect(ours == (try rows.map { try $0.decode(model: R.self, with: sqlKits) }), "\(kind)")
                    return rows.count
                }
                if try await same(kind.recordType) > 0 { kindsWithRows += 1 }
            }
            #expect(kindsWithRows >= 5)
            let jobs = try await app.db.sql.select().column("*").from("jobs").all()
            #expect(
                try jobs.map { try $0.decode(model: Job.self, with: Records.decoder).id }
                    == (try jobs.map { try $0.decode(model: Job.self, with: sqlKits).id }))
            #expect(
                Records.ColumnName.of("heartbeatAt") == "heartbeat_at"
                    && Records.ColumnName.of("maxAttempts") == "max_attempts")
        }
    }
}

/// A long import does not stop the server: while its job writes, people sign in, read pages, save records
/// and follow the job, whose progress moves, on SQLite as on PostgreSQL. The import writes its rows
/// where no one waits for them and takes the write lock only for a short move at the end.
@Suite struct LongImportTests {
    @Test func signInsReadsAndWritesGoOnWhileAnImportWrites() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            var csv = "id,when,what,lon,lat\n"
            for i in 0..<60_000 {
                let day = String(format: "2025-%02d-%02d", 1 + i % 12, 1 + i % 28)
                csv += "E\(i),\(day),theft,\(-79.6 + Double(i % 997) / 2_500),\(43.6 + Double(i % 991) / 5_000)\n"
            }
            let token = f.tokens[.coordinator]!
            let queued = try await api(
                app, .POST,
                "/api/v1/incidents/import?occurredAt=when&category=what&eventId=id&longitude=lon&latitude=lat",
                token: token, json: csv,
                contentType: HTTPMediaType(type: "text", subType: "csv"))
            #expect(queued.status == .accepted, "\(queued.body.string.prefix(300))")
            let job = try #require(try await JobQueue.claim(on: app.db.sql, worker: "test", at: app.clock.now))
            let importing = Task {
                await JobQueue.run(job, db: app.jobsDatabase, settings: app.settings, logger: app.logger)
            }

            var rounds = 0
            var progress: [Double] = []
            while try await JobQueue.find(job.id, on: app.db.sql)?.state == .running {
                let browser = Browser(app)
                #expect(try await browser.signIn("coordinator@test.ca").status == .seeOther)
                #expect(try await browser.get("/plans/\(f.plan.id)").status == .ok)
                #expect(try await browser.get("/jobs/\(job.id)").status == .ok)
                let saved = try await browser.post(
                    "/organizations", [("nameEn", "Agency \(rounds)"), ("sector", "police")])
                #expect(saved.status == .seeOther, "\(saved.status)")
                let polled = try await api(app, .GET, "/api/v1/jobs/\(job.id)", token: f.tokens[.member])
                #expect(polled.status == .ok)
                if let body = try? JSONDecoder().decode(JobView.self, from: Data(polled.body.string.utf8)) {
                    progress.append(body.progress)
                }
                rounds += 1
            }
            #expect(await importing.value == .succeeded)
            // Alone, a hundred rounds fit in the import; beside the rest of the suite, whose other databases'
            // writers take turns in this process too, fewer do.
            #expect(rounds >= 1, "the import ended before the server could be used meanwhile")
            // The API's figure moves (`IncidentImportTests.work` checks the stored one at every step).
            #expect(progress.count < 3 || progress.contains { $0 > 0 && $0 < 1 }, "\(progress)")
            let done = try JSONDecoder().decode(
                JobView.self,
                from: Data(try await api(app, .GET, "/api/v1/jobs/\(job.id)", token: token).body.string.utf8))
            #expect(
                done.state == .succeeded && done.progress == 1
                    && done.result?.hasPrefix("60000 rows: 60000 added") == true)
            #expect(try await Records(db: app.db.sql).count(.organization) == rounds + 1)
            // The job's page and API are for signed-in readers; an unknown job is not found.
            #expect(try await api(app, .GET, "/api/v1/jobs/\(job.id)", token: nil).status == .unauthorized)
            #expect(try await api(app, .GET, "/api/v1/jobs/\(UUID())", token: token).status == .notFound)
        }
    }
}

/// When another program holds SQLite's write lock longer than a request waits, the request answers 503
/// with when to try again, in the reader's words; nothing is changed, and nothing answers 500.
@Suite struct BusyDatabaseTests {
    @Test(.enabled(if: TestDatabase.postgresURL == nil)) func aWriteThatCannotWaitLongerSaysBusyAndWhenToTryAgain()
        async throws
    {
        try await withApp { app in
            let f = try await Fixture.make(app)
            guard case .sqlite(let path) = app.settings.store else { return }
            let holder = try await SQLiteConnection.open(storage: .file(path: path))
            try await holder.sql().raw("BEGIN IMMEDIATE").run()
            let res = try await api(
                app, .POST, "/api/v1/organizations", token: f.tokens[.admin],
                json: #"{"nameEn":"Waiting","sector":"police"}"#)
            try await holder.sql().raw("ROLLBACK").run()
            try await holder.close()
            #expect(res.status == .serviceUnavailable)
            #expect(res.headers.first(name: .retryAfter) == "5")
            #expect(res.body.string.contains("busy with a long piece of work"))
            #expect(try await Records(db: app.db.sql).count(.organization) == 1)
        }
    }

    /// A request that waited its whole time for a pooled connection (all in use under a burst of load) did
    /// nothing, and says so as a busy database does: 503, when to try again, in the reader's language. It
    /// answered 500 before.
    @Test func aRequestThatGotNoConnectionSaysBusyAndWhenToTryAgain() async throws {
        try await withApp { app in
            for (language, words) in [(Language.en, "many requests at once"), (.fr, "nombreuses requêtes")] {
                let req = Request(
                    application: app, method: .POST, url: "/api/v1/organizations", on: app.eventLoopGroup.next())
                req.language = language
                let res = try await ErrorResponses().response(
                    for: ConnectionPoolTimeoutError.connectionRequestTimeout, req)
                #expect(res.status == .serviceUnavailable)
                #expect(res.headers.first(name: .retryAfter) == "5")
                #expect(res.body.string?.contains(words) == true, "\(res.body.string ?? "")")
            }
        }
    }
}
