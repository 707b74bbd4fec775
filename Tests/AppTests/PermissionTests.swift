import Foundation
import Testing
import Vapor
import VaporTesting
import WellplanCore

@testable import App

@Suite struct PermissionTests {
    /// Every route, each with a real id in place of its parameters.
    func concretePaths(_ app: Application, _ f: Fixture) -> [(HTTPMethod, String)] {
        app.routes.all.map { route in
            let parts = route.path.map(\.description)
            var path = ""
            for (i, part) in parts.enumerated() {
                switch part {
                case ":id":
                    let segment = i > 0 ? parts[i - 1] : ""
                    let id =
                        segment == "plans"
                        ? f.plan.id
                        : segment == "projects"
                            ? f.projectB.id
                            : segment == "tables"
                                ? f.tableB.id
                                : segment == "organizations"
                                    ? f.organization.id : segment == "people" ? f.person.id : UUID()
                    path += "/\(id)"
                case ":number": path += "/1"
                default: path += "/\(part)"
                }
            }
            return (route.method, path.isEmpty ? "/" : path)
        }
    }

    static let publicPaths: Set<String> = [
        "/", "/healthz", "/public", "/signin", "/static/wellplan.css", "/static/coding.js", "/api/v1/openapi.json",
        "/signout",
    ]

    @Test func thePublicCannotWriteAnythingNorReadInternalPages() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let browser = Browser(app)
            try await browser.get("/signin")
            for (method, path) in concretePaths(app, f) {
                let res: TestingHTTPResponse
                if path.hasPrefix("/api/") {
                    res = try await api(
                        app, method, path, token: nil, json: method == .GET || method == .DELETE ? nil : "{}")
                } else if method == .GET {
                    res = try await browser.get(path)
                } else {
                    if path == "/signin" { continue }
                    res = try await browser.post(path, [])
                }
                if Self.publicPaths.contains(path) || path.hasPrefix("/public/plans/")
                    || path.hasPrefix("/public/situation-tables/")
                    || path.hasPrefix("/public/measures/") || path.hasPrefix("/public/open-data")
                    || path.hasPrefix("/public/consultations/") || path.hasPrefix("/public/reports")
                    || path.hasPrefix("/f/")
                    || path.hasPrefix("/api/v1/public/")
                {
                    #expect(res.status.code < 500, "\(method) \(path)")
                    continue
                }
                let denied =
                    res.status == .unauthorized || res.status == .forbidden
                    || (res.status == .seeOther && res.headers.first(name: .location)?.hasPrefix("/signin") == true)
                if !denied { Issue.record("\(method) \(path) answered \(res.status) to the public") }
            }
        }
    }

    @Test func aMemberCannotEditAProjectOfATableTheyDoNotSitOn() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let member = f.tokens[.member]!
            let body = { (p: Project) in
                #"{"planId":"\#(p.planId)","leadTableId":"\#(p.leadTableId!)","titleEn":"Renamed","status":"active"}"#
            }
            #expect(
                try await api(app, .PUT, "/api/v1/projects/\(f.projectB.id)", token: member, json: body(f.projectB))
                    .status == .forbidden)
            #expect(
                try await api(app, .PUT, "/api/v1/projects/\(f.projectA.id)", token: member, json: body(f.projectA))
                    .status == .ok)
            // moving one's own project to a table one does not sit on is refused too
            let moved =
                #"{"planId":"\#(f.plan.id)","leadTableId":"\#(f.tableB.id)","titleEn":"Moved","status":"active"}"#
            #expect(
                try await api(app, .PUT, "/api/v1/projects/\(f.projectA.id)", token: member, json: moved).status
                    == .forbidden)
            let activity = { (p: Project) in
                #"{"projectId":"\#(p.id)","occurredOn":"2025-10-09","summaryEn":"Event","eventsHeld":1}"#
            }
            #expect(
                try await api(app, .POST, "/api/v1/activities", token: member, json: activity(f.projectB)).status
                    == .forbidden)
            #expect(
                try await api(app, .POST, "/api/v1/activities", token: member, json: activity(f.projectA)).status
                    == .created)
            #expect(
                try await api(app, .DELETE, "/api/v1/projects/\(f.projectA.id)", token: member).status == .forbidden)
            #expect(
                try await api(
                    app, .POST, "/api/v1/organizations", token: member, json: #"{"nameEn":"X","sector":"police"}"#
                ).status == .forbidden)

            // The web pages ask the same policy.
            let browser = Browser(app)
            #expect(try await browser.signIn("member@test.ca").status == .seeOther)
            #expect(try await browser.get("/projects/\(f.projectB.id)/edit").status == .forbidden)
            #expect(
                try await browser.post(
                    "/projects/\(f.projectB.id)",
                    [
                        ("planId", "\(f.plan.id)"), ("leadTableId", "\(f.tableB.id)"),
                        ("titleEn", "Hijacked"), ("status", "active"),
                    ]
                ).status == .forbidden)
            #expect(try await browser.get("/projects/\(f.projectA.id)/edit").status == .ok)
            #expect(try await Records(db: app.db.sql).find(Project.self, f.projectB.id)?.titleEn == "Project B")
        }
    }

    @Test func onlyAdminsSeeTheAuditLog() async throws {
        try await withApp { app in
            _ = try await Fixture.make(app)
            for role in Role.allCases {
                let browser = Browser(app)
                _ = try await browser.signIn("\(role.rawValue)@test.ca")
                #expect(try await browser.get("/audit").status == (role == .admin ? .ok : .forbidden), "\(role)")
            }
            #expect(try await Browser(app).get("/audit").status == .seeOther)
        }
    }

    @Test func coordinatorsEditEverythingButAccounts() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let token = f.tokens[.coordinator]!
            let res = try await api(
                app, .POST, "/api/v1/organizations", token: token, json: #"{"nameEn":"Health unit","sector":"health"}"#)
            #expect(res.status == .created)
            #expect(try await api(app, .DELETE, "/api/v1/projects/\(f.projectB.id)", token: token).status == .noContent)
            let browser = Browser(app)
            _ = try await browser.signIn("coordinator@test.ca")
            #expect(try await browser.post("/backups", []).status == .forbidden)
        }
    }

    @Test func anEventCountsIntoItsProjectsOutputsAndFollowsTheProjectsTable() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let member = f.tokens[.member]!
            for (statement, count) in [
                ("Events held", "events_held"), ("People reached", "people_reached"),
                ("Trained", "participants_trained"),
                ("Handed out", "materials_distributed"),
            ] {
                let body =
                    #"{"projectId":"\#(f.projectA.id)","level":"output","statementEn":"\#(statement)","computedFrom":"\#(count)"}"#
                #expect(try await api(app, .POST, "/api/v1/outputs", token: member, json: body).status == .created)
            }
            let event =
                #"{"kind":"workshop","titleEn":"Naloxone training","occurredOn":"2026-05-02","startTime":"18:00","endTime":"20:30","#
                + #""place":"Library","projectId":"\#(f.projectA.id)","attendance":40,"participantsTrained":35,"audienceGroups":["youth"]}"#
            let created = try await api(app, .POST, "/api/v1/events", token: member, json: event)
            #expect(created.status == .created, "\(created.body.string)")
            let id = try JSONDecoder().decode(Event.self, from: Data(created.body.string.utf8)).id
            #expect(
                try await api(
                    app, .POST, "/api/v1/event-materials", token: member,
                    json: #"{"eventId":"\#(id)","materialType":"naloxone_kit","count":35}"#
                ).status == .created)
            let parts = try await PlanSnapshots.projectParts([f.projectA.id], Records(db: app.db.sql))
            let values = Dictionary(
                uniqueKeysWithValues: parts.outputs.map { ($0.statementEn, parts.outputValues[$0.id.uuidString]) })
            #expect(values == ["Events held": 1, "People reached": 40, "Trained": 35, "Handed out": 35])
            // An event of another table's project is not this member's to record; a bad time or a missing place is named.
            let other = event.replacingOccurrences(of: f.projectA.id.uuidString, with: f.projectB.id.uuidString)
            #expect(try await api(app, .POST, "/api/v1/events", token: member, json: other).status == .forbidden)
            let bad = try await api(
                app, .POST, "/api/v1/events", token: member,
                json:
                    #"{"kind":"webinar","titleEn":"X","occurredOn":"2026-05-02","startTime":"25:00","projectId":"\#(f.projectA.id)","attendance":5,"participantsTrained":9}"#
            )
            #expect(bad.status == .unprocessableEntity)
            for field in ["startTime", "place", "participantsTrained"] {
                #expect(bad.body.string.contains(#""field":"\#(field)""#), "\(field)")
            }
        }
    }

    /// Every GET in the route table, by every principal: nothing changes but the log of who read what.
    @Test func noReadChangesAnything() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let before = try await app.contents()
            let entries = try await AuditLog.page(on: app.db.sql, limit: 1, offset: 0)[0].seq
            let principals: [Role?] = [nil] + Role.allCases
            for role in principals {
                let browser = Browser(app)
                if let role { _ = try await browser.signIn("\(role.rawValue)@test.ca") }
                for (method, path) in concretePaths(app, f) where method == .GET && path != "/signin" {
                    let res =
                        path.hasPrefix("/api/")
                        ? try await api(app, .GET, path, token: role.map { f.tokens[$0]! })
                        : try await browser.get(path)
                    #expect(res.status.code < 500, "\(role?.rawValue ?? "public") GET \(path)")
                }
            }
            var after = try await app.contents()
            let logged = try await AuditLog.page(on: app.db.sql, limit: 10_000, offset: 0).filter { $0.seq > entries }
            #expect(logged.allSatisfy { ["read", "refused", "export"].contains($0.action) }, "\(logged.map(\.action))")
            // Sign-ins are not reads; what they change lives in tables a backup leaves out.
            after["audit_entries"] = before["audit_entries"]
            #expect(after == before)
        }
    }

    /// What only an admin may do, found in the route table by what it is about: accounts, the audit log, backups,
    /// and changes to the reference lists. Every such route refuses a coordinator and a member, by page and API.
    @Test func onlyAnAdminReachesTheAdminRoutes() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let adminOnly = concretePaths(app, f).filter { method, path in
                let about = path.split(separator: "/").prefix(3).map(String.init)
                let lists = about.contains("code-lists") || about.contains("guarded-names")
                return about.contains("accounts") || about.contains("audit") || about.contains("backups")
                    || (lists && method != .GET)
            }
            #expect(adminOnly.count >= 20)
            for role in [Role.coordinator, .member] {
                let browser = Browser(app)
                _ = try await browser.signIn("\(role.rawValue)@test.ca")
                try await browser.get("/")
                for (method, path) in adminOnly {
                    let res: TestingHTTPResponse
                    if path.hasPrefix("/api/") {
                        res = try await api(
                            app, method, path, token: f.tokens[role]!,
                            json: method == .GET || method == .DELETE ? nil : "{}")
                    } else {
                        res = method == .GET ? try await browser.get(path) : try await browser.post(path, [])
                    }
                    #expect(res.status == .forbidden, "\(role) \(method) \(path) answered \(res.status)")
                }
            }
            let admin = Browser(app)
            _ = try await admin.signIn("admin@test.ca")
            for (method, path) in adminOnly where method == .GET {
                let res =
                    path.hasPrefix("/api/")
                    ? try await api(app, .GET, path, token: f.tokens[.admin]!) : try await admin.get(path)
                #expect(res.status.code < 500 && res.status != .forbidden, "admin GET \(path) answered \(res.status)")
            }
        }
    }

    /// File names and paths chosen by whoever sends them never name a file on the server.
    @Test func noPathReachesAFileItWasNotMadeFor() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            for probe in [
                "/static/../Package.swift", "/static/%2e%2e/Package.swift", "/static/wellplan.css/../../Package.swift",
                "/static/..%2fPackage.swift",
            ] {
                let res = try await Browser(app).get(probe)
                #expect(res.status == .notFound && !res.body.string.contains("swift-tools-version"), "\(probe)")
            }
            let member = f.tokens[.member]!
            let created = try await api(
                app, .POST, "/api/v1/safety-plans", token: member,
                json:
                    #"{"planId":"\#(f.plan.id)","projectId":"\#(f.projectA.id)","titleEn":"Plan","area":"Here","status":"draft"}"#
            )
            let plan = try JSONDecoder().decode(Created.self, from: Data(created.body.string.utf8)).id
            for (number, name) in ["../../../../etc/passwd", "..\\..\\windows\\win.ini", "/etc/shadow", "..", "./.."]
                .enumerated()
            {
                let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let up = try await api(
                    app, .POST, "/api/v1/safety-plans/\(plan)/versions?fileName=\(encoded)", token: member,
                    json: "%PDF-1.4\n%%EOF\n", contentType: HTTPMediaType(type: "application", subType: "pdf"))
                #expect(up.status == .created)
                let file = try await api(
                    app, .GET, "/api/v1/safety-plans/\(plan)/versions/\(number + 1)/file", token: member)
                let disposition = file.headers.first(name: .contentDisposition) ?? ""
                #expect(
                    !disposition.contains("..") && !disposition.contains("/") && !disposition.contains("\\"),
                    "\(name): \(disposition)")
            }
        }
    }

    /// The role × route matrix: every route of the route table (ids of table B's records in its path), asked by
    /// five principals from the least to the most trusted: the public, a member whose person sits on table A
    /// only, a member who sits on table B, a coordinator and an admin. Whatever is refused to someone is refused
    /// to everyone less trusted, and nothing answers 500. The exception is situation-table work, which follows
    /// the seat, not the role: a coordinator who does not sit at table B may not read its discussions.
    @Test func theRoleRouteMatrixNeverGivesLessTrustedPrincipalsMore() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let w = RecordWriter(db: app.db, author: .commandLine)
            let seatedAtB = Person(name: "Sam Seated", organizationId: f.organization.id)
            try await w.create(seatedAtB)
            try await w.create(Membership(tableId: f.tableB.id, personId: seatedAtB.id, role: "member"))
            let accounts = Accounts(db: app.db.sql, clock: app.clock)
            let memberB = try await accounts.create(
                email: "member-b@test.ca", name: "Member B", role: .member,
                passwordHash: try app.password.hash(Fixture.password),
                personId: seatedAtB.id)
            let tokenB = try await accounts.createToken(
                for: memberB, label: "test", expiresAt: app.clock.now.adding(seconds: 86_400)
            ).token
            let principals: [(name: String, email: String?, token: String?)] = [
                ("public", nil, nil), ("member of table A", "member@test.ca", f.tokens[.member]),
                ("member of table B", "member-b@test.ca", tokenB),
                ("coordinator", "coordinator@test.ca", f.tokens[.coordinator]),
                ("admin", "admin@test.ca", f.tokens[.admin]),
            ]
            // Writes first asked of no one, so that a coordinator's delete does not change what the others meet.
            let routes = concretePaths(app, f).filter { $0.1 != "/signin" && $0.1 != "/signout" }.sorted { a, b in
                (a.0 == .DELETE ? 1 : 0, a.1) < (b.0 == .DELETE ? 1 : 0, b.1)
            }
            var refused: [String: [Bool]] = [:]
            for principal in principals {
                let browser = Browser(app)
                if let email = principal.email { _ = try await browser.signIn(email) }
                try await browser.get("/")
                for (method, path) in routes {
                    let res: TestingHTTPResponse
                    if path.hasPrefix("/api/") {
                        res = try await api(
                            app, method, path, token: principal.token,
                            json: method == .GET || method == .DELETE ? nil : "{}")
                    } else {
                        res = method == .GET ? try await browser.get(path) : try await browser.post(path, [])
                    }
                    #expect(res.status.code < 500, "\(principal.name) \(method) \(path) answered \(res.status)")
                    let toSignIn =
                        res.status == .seeOther && res.headers.first(name: .location)?.hasPrefix("/signin") == true
                    refused["\(method) \(path)", default: []].append(
                        [.unauthorized, .forbidden].contains(res.status) || toSignIn)
                }
            }
            for (route, answers) in refused.sorted(by: { $0.key < $1.key }) {
                let seatScoped = route.contains("discussions") || route.contains("meeting")
                // Refused to a more trusted principal ⇒ refused to every less trusted one.
                for (lower, higher) in zip(answers.indices, answers.indices.dropFirst())
                where answers[higher] && !answers[lower] {
                    if seatScoped && principals[higher].name == "coordinator" { continue }
                    Issue.record("\(route): refused to \(principals[higher].name) but not to \(principals[lower].name)")
                }
            }
            #expect(refused.count == routes.count)
            // And some rows of the matrix, read as a reviewer would.
            #expect(refused["GET /accounts"] == [true, true, true, true, false])
            #expect(refused["GET /audit"] == [true, true, true, true, false])
            #expect(refused["GET /plans"] == [true, false, false, false, false])
            #expect(refused["GET /public"] == [false, false, false, false, false])
            #expect(refused["PUT /api/v1/projects/\(f.projectB.id)"] == [true, true, false, false, false])
        }
    }

    struct Created: Decodable { let id: UUID }
}
