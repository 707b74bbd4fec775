import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
import WellplanCore
import ZIPFoundation

@testable import App

@Suite struct ReportTests {
    /// Runs the next queued job; returns its result.
    func work(_ app: Application) async throws -> String {
        let job = try #require(try await JobQueue.claim(on: app.db.sql, worker: "test", at: app.clock.now))
        #expect(await JobQueue.run(job, db: app.db, settings: app.settings, logger: app.logger) == .succeeded)
        return try await JobQueue.find(job.id, on: app.db.sql)?.result ?? ""
    }

    /// The CSV files of a report's ZIP, by name.
    func unzip(_ data: Data) throws -> [String: String] {
        let archive = try Archive(data: data, accessMode: .read)
        var files: [String: String] = [:]
        for entry in archive {
            var bytes = Data()
            _ = try archive.extract(entry) { bytes.append($0) }
            files[entry.path] = String(decoding: bytes, as: UTF8.self)
        }
        return files
    }

    @Test func theDemoUpdateTellsSeed000sAccomplishmentsFromRecords() async throws {
        try await withApp { app in
            try await DemoRegion.load(into: app, .init(arguments: []))
            let reports = Reports(db: app.db, author: .commandLine)
            let listed = try #require(
                try await reports.all().first { $0.reportKind == .workingGroupUpdate && $0.state == .draft })
            #expect(listed.reportEn == nil && listed.titleEn == "WECOSS Enforcement and Justice Working Group")
            let update = try #require(try await reports.find(listed.id))
            // "Since the last update": the day after the group's published summer update ended.
            #expect(update.fromDay == Day("2025-10-01") && update.toDay == Day("2025-12-02"))
            let report = try #require(update.shown(.en))
            let md = ReportMarkdown(reader: .partners).render(report)
            for line in [
                "## Strengthening Community Safety and Wellbeing", "### Accomplishments since the last update",
                "- Attended **3** community events from October 9, 2025 to November 13, 2025",
                "  - **82** neighbourhood safety plans distributed",
                "  - **100%** agreed: “I feel more confident supporting safety related to substance use after reviewing the safety plan” (n = **31**)",
                "- Facilitated “Trauma-Informed Care workshop” on November 4, 2025 for **28** first responders and service providers",
                "  - **100%** agreed: “I feel more confident supporting safety related to substance use after this session” (n = **28**)",
                "- “Addictions and Mental Health webinar” scheduled for December 16, 2025 for first responders and service providers",
                "### Steps completed",
                "Four focus groups with first responders and service providers in Leamington and Essex (23 participants).",
                "Community safety plan survey (100 respondents, most from Leamington).", "### Next steps",
                "### Summary of results", "> Main safety concerns highlighted include mental health",
                "### Action items for WECOSS Enforcement and Justice Working Group members",
                "- Promote Leamington and Essex safety plans once created.",
            ] {
                #expect(md.contains(line), "\(line)")
            }
            // The coordinator's order for the next steps is the seed's; the projects the meeting did not hear about are left out.
            let next = try #require(report.sections[0].subsections.first { $0.key.hasSuffix("-next") }).allFindings.map(
                \.text)
            #expect(
                next.map { String($0.prefix(12)) } == ["Finalize and", "Create an ev", "Continue to ", "Host five ad"])
            #expect(report.sections.count == 1 && !md.contains("Enforcement Agencies as Community Resources\n"))
            // Done action items are steps completed, not action items.
            #expect(!md.contains("- Continue promoting and distributing existing safety plans. (due"))
            // In French, from the same records.
            let fr = ReportMarkdown(reader: .partners).render(try #require(update.shown(.fr)))
            #expect(
                fr.contains(
                    "Participation à **3** événements (événement communautaire) du 9 octobre 2025 au 13 novembre 2025"))
            #expect(
                fr.contains("**82** plans de sécurité de quartier distribués")
                    && fr.contains("> Les principales préoccupations"))
            // Each figure's records, for a partner; none for the public.
            let html = try await ReportDocument(report, reader: .partners).render(app.view)
            #expect(
                html.contains("<strong class=\"figure\"><a href=\"/events/") && html.contains("href=\"/action-items/"))
            #expect(html.contains("<strong class=\"figure\"><a href=\"/projects/"))
            let forPublic = try await ReportDocument(report, reader: .everyone).render(app.view)
            #expect(!forPublic.contains("href=\"/events/"))
            // The public page lists the published summer update and the Leamington and Essex consultation's results, not the partners' WECOSS results.
            let listing = try await Browser(app).get("/public/reports").body.string
            #expect(
                listing.contains("Leamington and Essex safety plan consultation")
                    && listing.contains("WECOSS Enforcement and Justice Working Group"))
            #expect(
                !listing.contains("WECOSS Action Plan Consultation")
                    && listing.contains("Windsor-Essex Community Safety and Well-Being Plan"))
        }
    }

    @Test func aPublishedReportNeverChangesAndTheNextEditionSaysWhatDid() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let w = RecordWriter(db: app.db, author: .commandLine)
            let event = Event(
                kind: "community_event", titleEn: "Fair", occurredOn: Day("2025-10-09")!, place: "Windsor",
                projectId: f.projectB.id)
            try await w.create(event)
            let material = EventMaterial(eventId: event.id, materialType: "safety_plan", count: 31)
            try await w.create(material)
            let coordinator = f.tokens[.coordinator]!
            let body =
                #"{"kind":"working-group-update","subjectId":"\#(f.tableB.id)","from":"2025-10-01","to":"2025-12-02"}"#
            let asked = try await api(app, .POST, "/api/v1/reports", token: coordinator, json: body)
            #expect(asked.status == .accepted, "\(asked.body.string)")
            let id = try #require(asked.body.string.firstMatch(of: /"id":"([0-9A-F-]{36})"/).map { String($0.1) })
            // Until its job has run, the report is being built.
            #expect(try await api(app, .GET, "/api/v1/reports/\(id)/md", token: coordinator).status == .conflict)
            #expect(try await work(app) == "/reports/\(id)")
            #expect(try await api(app, .POST, "/api/v1/reports/\(id)/publish", token: coordinator).status == .ok)
            var before: [String: Data] = [:]
            for format in ["html", "md", "csv"] {
                for lang in ["en", "fr"] {
                    let res = try await api(
                        app, .GET, "/api/v1/public/reports/\(id)/\(format)?lang=\(lang)", token: nil)
                    #expect(res.status == .ok, "\(format) \(lang)")
                    before["\(format)-\(lang)"] = Data(buffer: res.body)
                }
            }
            #expect(
                String(decoding: before["md-en"]!, as: UTF8.self).contains(
                    "**31** neighbourhood safety plans distributed"))
            // The data change: more plans handed out, a second event.
            var more = material
            more.count = 40
            try await w.update(more, before: material)
            let second = Event(
                kind: "community_event", titleEn: "Evening", occurredOn: Day("2025-11-13")!, place: "Essex",
                projectId: f.projectB.id)
            try await w.create(second)
            for (key, bytes) in before {
                let parts = key.split(separator: "-")
                let res = try await api(
                    app, .GET, "/api/v1/public/reports/\(id)/\(parts[0])?lang=\(parts[1])", token: nil)
                #expect(Data(buffer: res.body) == bytes, "\(key) changed")
            }
            let page = try await Browser(app).get("/public/reports/\(id)")
            #expect(Data(buffer: page.body) == before["html-en"]!)
            // Its only style sheet is allowed by digest; no script, nothing from elsewhere.
            let policy = page.headers.first(name: "Content-Security-Policy") ?? ""
            #expect(
                policy.contains("style-src 'sha256-") && !policy.contains("unsafe")
                    && policy.hasPrefix("default-src 'none'"))
            // A published edition is not edited, rebuilt or deleted.
            #expect(
                try await api(
                    app, .PUT, "/api/v1/reports/\(id)/edits", token: coordinator,
                    json: #"{"narrative":{},"annotations":{},"hidden":[],"order":[]}"#
                )
                .status == .conflict)
            #expect(try await api(app, .POST, "/api/v1/reports/\(id)/rebuild", token: coordinator).status == .conflict)
            #expect(try await api(app, .DELETE, "/api/v1/reports/\(id)", token: coordinator).status == .conflict)
            // The next edition, from the same series, lists what changed since the first.
            let next = try await api(app, .POST, "/api/v1/reports", token: coordinator, json: body)
            let nextId = try #require(next.body.string.firstMatch(of: /"id":"([0-9A-F-]{36})"/).map { String($0.1) })
            _ = try await work(app)
            let published = try await api(app, .POST, "/api/v1/reports/\(nextId)/publish", token: coordinator)
            #expect(published.body.string.contains(#""edition":2"#))
            let md = try await api(app, .GET, "/api/v1/public/reports/\(nextId)/md", token: nil).body.string
            #expect(md.contains("## Changes since edition 1"))
            #expect(md.contains("| Attended “Fair” on October 9, 2025 | Attended “Fair” on October 9, 2025 | — |"))
            #expect(md.contains("| Attended 2 community events from October 9, 2025 to November 13, 2025 | — | 2 |"))
            #expect(md.contains("| 40 neighbourhood safety plans distributed | 31 | 40 |"))
            #expect(md.contains("| Counted work of Project B: Materials distributed, To December 2, 2025 | 31 | 40 |"))
            // The public page lists both editions with their dates; the plan's published versions too.
            let index = try await Browser(app).get("/public/reports").body.string
            #expect(index.contains("/public/reports/\(id)") && index.contains("/public/reports/\(nextId)"))
        }
    }

    @Test func noSmallNumberLeavesInAnyKindOrFormat() async throws {
        try await withApp { app in
            let s = try await SituationFixture.make(app)
            let f = s.base
            let w = RecordWriter(db: app.db, author: .commandLine)
            // Three situations: fewer than the public minimum of ten.
            for n in 1...3 {
                var d = SituationDiscussion(
                    tableId: s.table.id, number: n, presentedOn: Day(year: 2025, month: 3, day: n)!,
                    discussionType: "person", ageBand: "16-17",
                    gender: "female", originatingSector: "education", riskFactors: ["missing_school.truancy"])
                d = try DiscussionLifecycle.apply(.accept(on: d.presentedOn), to: d)
                try await w.create(d)
            }
            // Four feedback forms at an event: a share of four people.
            let event = Event(
                kind: "community_event", titleEn: "Fair", occurredOn: Day("2025-10-09")!, place: "Windsor",
                projectId: f.projectB.id)
            try await w.create(event)
            let question = FeedbackQuestion(questionKind: .likert, textEn: "I feel safer")
            try await w.create(question)
            let form = FeedbackForm(eventId: event.id, titleEn: "Feedback", questions: [question.id])
            try await w.create(form)
            for _ in 0..<4 {
                try await FeedbackSubmissions(db: app.db, clock: app.clock).keep(
                    FeedbackSubmission(
                        channel: .paper, answers: [.init(questionId: question.id, likert: 5, text: nil)]), for: form,
                    enteredBy: .commandLine)
            }
            // A published measure counting seven people.
            let measure = Measure(
                planId: f.plan.id, code: "clients", nameEn: "Clients served", countsPeople: true, published: true)
            try await w.create(measure)
            try await Observations(db: app.db, author: .commandLine).save(
                [Observation(period: Period("2025")!, value: 7)], of: measure)
            // A consultation whose only theme was never published.
            let consultation = Consultation(
                planId: f.plan.id, titleEn: "Talks", startsOn: Day("2025-05-01"), endsOn: Day("2025-05-31"))
            try await w.create(consultation)
            try await w.create(Theme(consultationId: consultation.id, section: "issues", nameEn: "Unpublished worry"))

            let coordinator = f.tokens[.coordinator]!
            let asks = [
                #"{"kind":"working-group-update","subjectId":"\#(f.tableB.id)","from":"2025-10-01","to":"2025-12-02"}"#,
                #"{"kind":"situation-table-annual","subjectId":"\#(s.table.id)","from":"2025-01-01","to":"2025-12-31"}"#,
                #"{"kind":"annual-progress","subjectId":"\#(f.plan.id)","from":"2025-01-01","to":"2025-12-31"}"#,
                #"{"kind":"consultation-results","subjectId":"\#(consultation.id)"}"#,
            ]
            var published: [String] = []
            for body in asks {
                let res = try await api(app, .POST, "/api/v1/reports", token: coordinator, json: body)
                #expect(res.status == .accepted, "\(res.body.string)")
                let id = try #require(res.body.string.firstMatch(of: /"id":"([0-9A-F-]{36})"/).map { String($0.1) })
                _ = try await work(app)
                #expect(try await api(app, .POST, "/api/v1/reports/\(id)/publish", token: coordinator).status == .ok)
                published.append(id)
            }
            var everything = ""
            for id in published {
                for lang in ["en", "fr"] {
                    for format in ["html", "md"] {
                        let text = try await api(
                            app, .GET, "/api/v1/public/reports/\(id)/\(format)?lang=\(lang)", token: nil
                        ).body.string
                        if format == "html" {
                            let body = text.replacingOccurrences(of: "<!doctype html>", with: "")
                            #expect(ReportDocumentTests.unbalancedTag(body) == nil, "\(id) \(lang)")
                        }
                        everything += text
                    }
                    let zip = try await api(app, .GET, "/api/v1/public/reports/\(id)/csv?lang=\(lang)", token: nil)
                    let files = try unzip(Data(buffer: zip.body))
                    #expect(files["00-contents.csv"] != nil && files["01-findings.csv"] != nil)
                    everything += files.values.joined()
                    // Every count in the situation tables' CSV is withheld, zero or at least ten.
                    for (name, text) in files where name.contains("statistics") || name.contains("situation-tables") {
                        for line in text.split(separator: "\r\n").dropFirst() {
                            for cell in line.split(separator: ",", omittingEmptySubsequences: false).dropFirst() {
                                if let n = Int(cell) { #expect(n == 0 || n >= 10, "\(name): \(line)") }
                            }
                        }
                    }
                }
            }
            #expect(
                everything.contains("*withheld* situations discussed")
                    && everything.contains("<em class=\"withheld\">withheld</em> situations discussed"))
            #expect(everything.contains("*masqué* situations discutées"))
            #expect(everything.contains("*withheld* agreed: “I feel safer” (n = **4**)"))
            #expect(everything.contains("Clients served: *withheld* in 2025"))
            for leak in [
                "**3** situations", ">3</strong> situations", "**100%** agreed", ">100%</strong> agreed",
                "**7** in 2025", ">7</strong> in 2025",
                "clients,7", "discussions,3,", "Unpublished worry",
            ] {
                #expect(!everything.contains(leak), "\(leak)")
            }
            // The PDF is printed from the same HTML; without Chromium the server says which package it needs.
            if app.settings.chromium != nil {
                let pdf = try await api(app, .GET, "/api/v1/public/reports/\(published[0])/pdf", token: nil)
                #expect(pdf.status == .ok && Data(buffer: pdf.body).starts(with: Data("%PDF".utf8)))
                let again = try await api(app, .GET, "/api/v1/public/reports/\(published[0])/pdf", token: nil)
                #expect(Data(buffer: again.body) == Data(buffer: pdf.body))
            }
        }
    }

    @Test func withoutChromiumThePDFNamesThePackageToInstall() async throws {
        try await withApp(settings: { $0.chromium = nil }) { app in
            let f = try await Fixture.make(app)
            let stored = try await Reports(db: app.db, author: .commandLine).buildNow(
                ReportRequest(kind: .annualProgress, subjectId: f.plan.id), policy: app.settings.disclosure)
            let res = try await api(app, .GET, "/api/v1/reports/\(stored.id)/pdf", token: f.tokens[.member]!)
            #expect(res.status == .serviceUnavailable && res.body.string.contains("apt-get install chromium"))
            let fr = try await api(app, .GET, "/api/v1/reports/\(stored.id)/pdf?lang=fr", token: f.tokens[.member]!)
            #expect(fr.body.string.contains("installez le paquet Debian chromium"))
        }
    }

    @Test func requestsAreCheckedAndOnlyCoordinatorsPublish() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let coordinator = f.tokens[.coordinator]!, member = f.tokens[.member]!
            let bad = try await api(
                app, .POST, "/api/v1/reports", token: coordinator,
                json:
                    #"{"kind":"situation-table-annual","subjectId":"\#(f.tableB.id)","from":"2025-12-01","to":"2025-01-01"}"#
            )
            #expect(
                bad.status == .unprocessableEntity && bad.body.string.contains("situation table")
                    && bad.body.string.contains("\"to\""))
            let unknown = try await api(
                app, .POST, "/api/v1/reports", token: coordinator,
                json: #"{"kind":"annual-progress","subjectId":"\#(UUID())"}"#)
            #expect(unknown.status == .unprocessableEntity && unknown.body.string.contains("subjectId"))
            #expect(
                try await api(
                    app, .POST, "/api/v1/reports", token: coordinator,
                    json: #"{"kind":"gossip","subjectId":"\#(f.plan.id)"}"#
                ).status == .badRequest)
            let cpted = try await api(
                app, .POST, "/api/v1/reports", token: coordinator,
                json: #"{"kind":"cpted-evaluation","subjectId":"\#(UUID())"}"#)
            #expect(cpted.status == .unprocessableEntity)
            let body = #"{"kind":"annual-progress","subjectId":"\#(f.plan.id)"}"#
            #expect(try await api(app, .POST, "/api/v1/reports", token: member, json: body).status == .forbidden)
            let asked = try await api(app, .POST, "/api/v1/reports", token: coordinator, json: body)
            let id = try #require(asked.body.string.firstMatch(of: /"id":"([0-9A-F-]{36})"/).map { String($0.1) })
            _ = try await work(app)
            // Members read drafts; they do not edit or publish them. The public sees no draft.
            #expect(try await api(app, .GET, "/api/v1/reports/\(id)/md", token: member).status == .ok)
            #expect(try await api(app, .POST, "/api/v1/reports/\(id)/publish", token: member).status == .forbidden)
            #expect(try await api(app, .GET, "/api/v1/public/reports/\(id)/md", token: nil).status == .notFound)
            #expect(try await Browser(app).get("/public/reports/\(id)").status == .notFound)
            // Edits through the form: a finding left out, another first with a note, narrative in both languages.
            let browser = Browser(app)
            _ = try await browser.signIn("coordinator@test.ca")
            let editor = try await browser.get("/reports/\(id)")
            #expect(editor.status == .ok && editor.body.string.contains("name=\"k1\""))
            let keys = editor.body.string.matches(of: /name="k(\d+)" value="([^"]+)"/).map {
                (String($0.1), String($0.2))
            }
            let sections = editor.body.string.matches(of: /name="s(\d+)" value="([^"]+)"/).map {
                (String($0.1), String($0.2))
            }
            #expect(keys.count >= 2 && !sections.isEmpty)
            var fields: [(String, String)] = sections.flatMap { [("s\($0.0)", $0.1), ("keepS\($0.0)", "on")] }
            fields += [
                ("narrativeEn\(sections[0].0)", "A year of work."),
                ("narrativeFr\(sections[0].0)", "Une année de travail."),
            ]
            fields += [("k\(keys[0].0)", keys[0].1)]  // not kept
            fields += [
                ("k\(keys[1].0)", keys[1].1), ("keep\(keys[1].0)", "on"), ("order\(keys[1].0)", "1"),
                ("noteEn\(keys[1].0)", "Read this first"),
            ]
            #expect(try await browser.post("/reports/\(id)/edits", fields).status == .seeOther)
            let md = try await api(app, .GET, "/api/v1/reports/\(id)/md", token: member).body.string
            #expect(md.contains("> A year of work.") && md.contains("  *Read this first*"))
            let frMd = try await api(app, .GET, "/api/v1/reports/\(id)/md?lang=fr", token: member).body.string
            #expect(frMd.contains("> Une année de travail."))
            let bad2 = try await browser.post(
                "/reports/\(id)/edits", [("k\(keys[1].0)", keys[1].1), ("order\(keys[1].0)", "first")])
            #expect(bad2.status == .unprocessableEntity)
            // A subject's page leads to the form with its kind and itself chosen.
            let planPage = try await browser.get("/plans/\(f.plan.id)").body.string
            #expect(planPage.contains("/reports?kind=annual-progress&amp;subjectId=\(f.plan.id)#new-report"))
            let form = try await browser.get("/reports?kind=annual-progress&subjectId=\(f.plan.id)").body.string
            #expect(
                form.contains(#"<option value="annual-progress" selected>"#)
                    && form.contains(#"<option value="\#(f.plan.id)" selected>"#))
            // The job's page links to the report it built.
            let jobs = try await app.db.sql.select().column("id").from("jobs").all().map {
                try $0.decode(column: "id", as: UUID.self)
            }
            #expect(try await browser.get("/jobs/\(jobs[0])").body.string.contains("href=\"/reports/\(id)\""))
        }
    }

    @Test func thePublishByDeadlineShowsUntilAVersionIsPublished() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            var plan = f.plan
            plan.adoptedOn = app.clock.today.adding(days: -10)
            try await RecordWriter(db: app.db, author: .commandLine).update(plan, before: f.plan)
            let browser = Browser(app)
            _ = try await browser.signIn("coordinator@test.ca")
            let due = ReportWriting(.en).day(app.clock.today.adding(days: 20))
            let before = try await browser.get("/plans/\(plan.id)/compliance").body.string
            #expect(
                before.contains("published by \(due), 30 days after council adopted it")
                    && before.contains("href=\"/plans/\(plan.id)/versions\""))
            #expect(try await browser.post("/plans/\(plan.id)/versions", [("note", "Adopted")]).status == .seeOther)
            let after = try await browser.get("/plans/\(plan.id)/compliance").body.string
            #expect(!after.contains("30 days after council adopted it") && after.contains(app.clock.today.description))
            let report = try await ComplianceReports.report(plan, Records(db: app.db.sql), on: app.clock.today)
            #expect(report.publishBy.metOn == app.clock.today && report.publishBy.state == .met)
        }
    }

    @Test func theProgressReportCountsIncidentsAgainstTheYearBefore() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let rows: [(String, String)] = [
                ("Assault", "2025-03-01"), ("Assault", "2025-04-01"), ("Assault", "2024-05-01"),
                ("Break and enter", "2024-06-01"),
            ]
            for (i, (category, day)) in rows.enumerated() {
                try await app.db.sql.raw(
                    """
                    INSERT INTO incidents (id, row_key, event_id, category, occurred_at, occurred_on, import_id)
                    VALUES (\(bind: UUID()), \(bind: "k\(i)"), \(bind: "e\(i)"), \(bind: category), \(bind: day + "T12:00:00Z"), \(bind: day), \(bind: UUID()))
                    """
                ).run()
            }
            let stored = try await Reports(db: app.db, author: .commandLine).buildNow(
                ReportRequest(
                    kind: .annualProgress, subjectId: f.plan.id, from: Day("2025-01-01"), to: Day("2025-12-31")),
                policy: app.settings.disclosure)
            let md = ReportMarkdown(reader: .partners).render(try #require(stored.shown(.en)))
            #expect(md.contains("**2** incidents in the period, against **2** over the same days a year earlier"))
            #expect(md.contains("| Assault | 2 | 1 | 100% |") && md.contains("| Break and enter | 0 | 1 | -100% |"))
        }
    }
}
