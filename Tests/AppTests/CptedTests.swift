import Foundation
import Testing
import Vapor
import VaporTesting
import WellplanCore

@testable import App

@Suite struct CptedRouteTests {
    struct Created: Decodable { let id: UUID }

    @Test func aProjectsAuditsAndRecommendationsCountIntoItsOutputsAndFollowTheWorkflow() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let member = f.tokens[.member]!
            let w = RecordWriter(db: app.db, author: .commandLine)
            for (statement, count) in [
                ("Audits done", ActivityCount.auditsCompleted), ("Recommendations made", .recommendationsMade),
                ("Implemented", .recommendationsImplemented),
            ] {
                try await w.create(Output(projectId: f.projectA.id, statementEn: statement, computedFrom: count))
            }
            func post(_ path: String, _ json: String) async throws -> UUID {
                let res = try await api(app, .POST, path, token: member, json: json)
                #expect(res.status == .created, "\(path): \(res.body.string)")
                return try JSONDecoder().decode(Created.self, from: Data(res.body.string.utf8)).id
            }
            let audit =
                #"{"projectId":"\#(f.projectA.id)","siteName":"Alley","latitude":42.05,"longitude":-82.6,"auditedOn":"2025-09-18","method":"womens_safety_audit"}"#
            #expect(
                try await api(
                    app, .POST, "/api/v1/cpted-audits", token: member,
                    json: audit.replacingOccurrences(of: "\(f.projectA.id)", with: "\(f.projectB.id)")
                ).status == .forbidden)
            let a = try await post("/api/v1/cpted-audits", audit)
            _ = try await post(
                "/api/v1/audit-participants", #"{"auditId":"\#(a)","audienceGroup":"general_public","count":9}"#)
            let finding = try await post(
                "/api/v1/audit-findings",
                #"{"auditId":"\#(a)","principle":"natural_surveillance","severity":"high","descriptionEn":"Dark stretch"}"#
            )
            let body = { (status: String, extra: String) in
                #"{"auditId":"\#(a)","findingId":"\#(finding)","category":"lighting","descriptionEn":"Light the alley","status":"\#(status)"\#(extra)}"#
            }
            let rec = try await post("/api/v1/cpted-recommendations", body("proposed", ""))
            _ = try await post(
                "/api/v1/cpted-recommendations",
                #"{"auditId":"\#(a)","category":"landscaping","descriptionEn":"Trim bushes","status":"proposed"}"#)
            let skip = try await api(
                app, .PUT, "/api/v1/cpted-recommendations/\(rec)", token: member,
                json: body("implemented", #","implementedOn":"2026-03-01""#))
            #expect(skip.status == .unprocessableEntity && skip.body.string.contains("cannot move"))
            for (status, extra) in [
                ("accepted", ""), ("in_progress", ""), ("implemented", #","implementedOn":"2026-03-01""#),
            ] {
                #expect(
                    try await api(
                        app, .PUT, "/api/v1/cpted-recommendations/\(rec)", token: member, json: body(status, extra)
                    ).status == .ok, "\(status)")
            }
            let store = Records(db: app.db.sql)
            let (outputs, _, values) = try await PlanSnapshots.projectParts([f.projectA.id], store)
            func value(_ statement: String) -> Double? {
                outputs.first { $0.statementEn == statement }.flatMap { values[$0.id.uuidString] }
            }
            #expect(value("Audits done") == 1 && value("Recommendations made") == 2 && value("Implemented") == 1)
        }
    }

    /// A finding's photo: added by a member with its description, kept without the photographer's name, shown
    /// only to those who may read the finding, removed with a trace in the audit log.
    @Test func aFindingsPhotoIsKeptWithoutItsMetadataAndShownOnlyToPartners() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let member = f.tokens[.member]!
            let w = RecordWriter(db: app.db, author: .commandLine)
            let audit = CptedAudit(
                projectId: f.projectA.id, siteName: "Arena lane", auditedOn: Day("2025-09-18")!,
                method: "community_walkabout")
            try await w.create(audit)
            let finding = AuditFinding(
                auditId: audit.id, principle: "natural_surveillance", severity: "high", descriptionEn: "Unlit lane")
            try await w.create(finding)
            let scan: [UInt8] = [0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 0x3F, 0, 0x12, 0x34, 0xFF, 0xD9]
            let exif =
                Array("Exif".utf8) + [0, 0] + Array("II*\0".utf8) + [8, 0, 0, 0, 0, 0, 0, 0, 0, 0]
                + Array("Jane Doe".utf8)
            let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE1, 0, UInt8(exif.count + 2)] + exif + scan)
            let jpegType = HTTPMediaType(type: "image", subType: "jpeg")
            let path = "/api/v1/audit-findings/\(finding.id)/photos"

            let undescribed = try await api(app, .POST, path, token: member, bytes: jpeg, contentType: jpegType)
            #expect(undescribed.status == .unprocessableEntity && undescribed.body.string.contains("descriptionEn"))
            let pdf = try await api(
                app, .POST, path + "?descriptionEn=Lane", token: member, bytes: Data("%PDF-1.4".utf8),
                contentType: jpegType)
            #expect(pdf.status == .unprocessableEntity && pdf.body.string.contains("not a JPEG or PNG"))
            let added = try await api(
                app, .POST, path + "?descriptionEn=Unlit%20lane%20at%20dusk", token: member, bytes: jpeg,
                contentType: jpegType)
            #expect(added.status == .created, "\(added.body.string)")
            // Project B is not the member's table's: its findings are not theirs to add to.
            let elsewhere = CptedAudit(
                projectId: f.projectB.id, siteName: "Park", auditedOn: Day("2025-09-19")!, method: "community_walkabout"
            )
            try await w.create(elsewhere)
            let theirs = AuditFinding(
                auditId: elsewhere.id, principle: "maintenance", severity: "low", descriptionEn: "Litter")
            try await w.create(theirs)
            let refused = try await api(
                app, .POST, "/api/v1/audit-findings/\(theirs.id)/photos?descriptionEn=Park", token: member, bytes: jpeg,
                contentType: jpegType)
            #expect(refused.status == .forbidden)

            let picture = try await api(app, .GET, path + "/1", token: member)
            #expect(picture.status == .ok && picture.headers.contentType == jpegType)
            #expect(Data(buffer: picture.body) == Data([0xFF, 0xD8] + scan))
            #expect(try await api(app, .GET, path + "/1", token: nil).status == .unauthorized)
            #expect(try await api(app, .GET, path + "/2", token: member).status == .notFound)

            let browser = Browser(app)
            _ = try await browser.signIn("member@test.ca")
            let page = try await browser.get("/audit-findings/\(finding.id)/photos").body.string
            #expect(
                page.contains(#"alt="Unlit lane at dusk""#)
                    && page.contains(#"src="/audit-findings/\#(finding.id)/photos/1""#))
            #expect(try await browser.get("/audit-findings/\(finding.id)").body.string.contains("Photos: 1"))

            #expect(try await api(app, .DELETE, path + "/1", token: member).status == .noContent)
            #expect(try await api(app, .GET, path, token: member).body.string == "[]")
            let log = try await AuditLog.page(on: app.db.sql, limit: 100, offset: 0).map(\.action)
            #expect(log.contains("add_photo") && log.contains("remove_photo"))
        }
    }
}

@Suite struct EvaluationRouteTests {
    struct Outcome: Decodable {
        struct Result: Decodable {
            let counts: PrePostCounts
            let quotient: Double?
            let difference: Double?
        }
        let result: Result
    }

    func square(_ lon: Double, _ lat: Double, _ side: Double) -> String {
        let ring = [(lon, lat), (lon + side, lat), (lon + side, lat + side), (lon, lat + side), (lon, lat)].map {
            "[\($0.0),\($0.1)]"
        }.joined(separator: ",")
        return #"{"type":"Polygon","coordinates":[[\#(ring)]]}"#
    }

    @Test func anImplementedRecommendationIsEvaluatedAgainstItsSiteBufferAndControl() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let w = RecordWriter(db: app.db, author: .commandLine)
            let layer = Layer(nameEn: "Controls", layerKind: "other")
            try await w.create(layer)
            // C1 lies 2 km east of the site; NEAR covers the site itself.
            let geojson =
                #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"C1"},"geometry":\#(square(-79.375, 43.69, 0.02))},"#
                + #"{"type":"Feature","properties":{"id":"NEAR"},"geometry":\#(square(-79.41, 43.69, 0.02))}]}"#
            _ = try await Areas(db: app.db, author: .commandLine).importGeoJSON(
                layer, data: Data(geojson.utf8), idProperty: "id", nameProperty: nil)
            let site = (lon: -79.40, lat: 43.70)
            var csv = "id,what,when,lon,lat\n"
            var n = 0
            func add(_ count: Int, _ day: String, _ lon: Double, _ lat: Double) {
                for _ in 0..<count {
                    n += 1
                    csv += "E\(n),theft,\(day),\(lon),\(lat)\n"
                }
            }
            add(20, "2025-05-10", site.lon, site.lat + 0.0005)  // response, before (55 m away)
            add(10, "2026-05-10", site.lon, site.lat + 0.0005)  // response, after
            add(10, "2025-06-10", site.lon, site.lat + 0.002)  // buffer, before (222 m away)
            add(12, "2026-06-10", site.lon, site.lat + 0.002)  // buffer, after
            add(40, "2025-07-10", -79.365, 43.70)  // control, before
            add(38, "2026-07-10", -79.365, 43.70)  // control, after
            add(7, "2024-05-10", site.lon, site.lat)  // outside both windows
            add(5, "2025-05-10", site.lon, site.lat + 0.01)  // beyond the buffer (1.1 km)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("evaluation-\(UUID()).csv")
            try Data(csv.utf8).write(to: file)
            let columns = IncidentColumns(
                occurredAt: "when", category: "what", eventId: "id",
                location: .longitudeLatitude(longitude: "lon", latitude: "lat"))
            _ = try await Incidents(db: app.db, author: .commandLine).run(
                file, IncidentImportRequest(columns), store: app.settings.store, expectedRows: n)

            let audit = CptedAudit(
                projectId: f.projectA.id, siteName: "Laneway", latitude: site.lat, longitude: site.lon,
                auditedOn: Day("2025-04-01")!,
                method: "community_walkabout")
            try await w.create(audit)
            let rec = CptedRecommendation(
                auditId: audit.id, category: "lighting", descriptionEn: "Light the laneway", status: .implemented,
                implementedOn: Day("2026-03-01"))
            try await w.create(rec)
            let base = "/api/v1/cpted-recommendations/\(rec.id)/evaluation?controlLayerId=\(layer.id)"
            let res = try await api(app, .GET, base + "&controlAreaCode=C1", token: f.tokens[.member])
            #expect(res.status == .ok, "\(res.body.string)")
            let outcome = try JSONDecoder().decode(Outcome.self, from: Data(res.body.string.utf8))
            let expected = PrePostCounts(
                response: .init(before: 20, after: 10), buffer: .init(before: 10, after: 12),
                control: .init(before: 40, after: 38))
            #expect(outcome.result.counts == expected)
            let w2 = WeightedDisplacementQuotient(expected)
            #expect(outcome.result.quotient == w2.quotient && outcome.result.difference == w2.difference)
            // The site itself, from the day its last recommendation was implemented, counts the same; from a day the
            // coordinator names, the windows move with it.
            let siteBase = "/api/v1/cpted-audits/\(audit.id)/evaluation?controlLayerId=\(layer.id)&controlAreaCode=C1"
            let bySite = try await api(app, .GET, siteBase, token: f.tokens[.member])
            #expect(
                try JSONDecoder().decode(Outcome.self, from: Data(bySite.body.string.utf8)).result.counts == expected,
                "\(bySite.body.string)")
            let earlier = try await api(
                app, .GET, siteBase + "&changedOn=2025-12-01&months=6&seasonal=false", token: f.tokens[.member])
            #expect(
                try JSONDecoder().decode(Outcome.self, from: Data(earlier.body.string.utf8)).result.counts.response
                    == .init(before: 0, after: 10),
                "\(earlier.body.string)")
            #expect(
                try await api(app, .GET, siteBase + "&changedOn=June", token: f.tokens[.member]).status
                    == .unprocessableEntity)
            // Months beyond any whole number are refused, not converted.
            let huge = try await api(app, .GET, siteBase + "&months=1e20&siteRadius=wide", token: f.tokens[.member])
            #expect(
                huge.status == .unprocessableEntity && huge.body.string.contains("months")
                    && huge.body.string.contains("siteRadius"))
            let overlapping = try await api(app, .GET, base + "&controlAreaCode=NEAR", token: f.tokens[.member])
            #expect(overlapping.status == .unprocessableEntity && overlapping.body.string.contains("beyond the buffer"))

            // The evaluation as a report: the same counts and effects, and what they mean in words.
            let asked = try await api(
                app, .POST, "/api/v1/reports", token: f.tokens[.coordinator],
                json:
                    #"{"kind":"cpted-evaluation","subjectId":"\#(audit.id)","audience":"partners","parameters":{"controlLayerId":"\#(layer.id)","controlAreaCode":"C1"}}"#
            )
            #expect(asked.status == .accepted, "\(asked.body.string)")
            #expect(
                asked.body.string.contains(#""from":"2025-03-01""#) && asked.body.string.contains(#""to":"2027-02-28""#)
            )
            let job = try #require(try await JobQueue.claim(on: app.db.sql, worker: "test", at: app.clock.now))
            #expect(await JobQueue.run(job, db: app.db, settings: app.settings, logger: app.logger) == .succeeded)
            let reportId = try #require(asked.body.string.firstMatch(of: /"id":"([0-9A-F-]{36})"/).map { String($0.1) })
            let md = try await api(app, .GET, "/api/v1/reports/\(reportId)/md", token: f.tokens[.member]).body.string
            #expect(md.contains("- **1** recommendations made, **1** implemented"))
            #expect(
                md.contains("| Response area | 20 | 10 |") && md.contains("| Buffer | 10 | 12 |")
                    && md.contains("| Control area (C1) | 40 | 38 |"))
            #expect(md.contains("| WDQ | \(String(format: "%.2f", w2.quotient!)) |"))
            #expect(md.contains("Weighted displacement difference"))
            let oddMonths = try await api(
                app, .POST, "/api/v1/reports", token: f.tokens[.coordinator],
                json:
                    #"{"kind":"cpted-evaluation","subjectId":"\#(audit.id)","parameters":{"controlLayerId":"\#(layer.id)","controlAreaCode":"C1","months":"1e20"}}"#
            )
            #expect(oddMonths.status == .unprocessableEntity && oddMonths.body.string.contains("months"))
            let missing = try await api(
                app, .POST, "/api/v1/reports", token: f.tokens[.coordinator],
                json: #"{"kind":"cpted-evaluation","subjectId":"\#(audit.id)"}"#)
            #expect(missing.status == .unprocessableEntity && missing.body.string.contains("controlAreaCode"))

            let browser = Browser(app)
            _ = try await browser.signIn("member@test.ca")
            let page = try await browser.get(
                "/cpted-recommendations/\(rec.id)/evaluation?controlLayerId=\(layer.id)&controlAreaCode=C1")
            #expect(
                page.status == .ok && page.body.string.contains("Weighted displacement difference")
                    && page.body.string.contains("<figure class=\"chart\"><svg")
                    && page.body.string.contains("aria-labelledby=\"evaluation-chart-title evaluation-chart-desc\""))

            // The layer's choropleth and the site's area binned, each with its table.
            let map = try await browser.get("/layers/\(layer.id)/map?from=2025-01-01&to=2026-12-31").body.string
            #expect(map.contains("<path d=\"M") && map.contains(">C1 (C1)</a></th><td>78</td>"))
            let binned = try await browser.get("/layers/\(layer.id)/areas/NEAR/map?from=2025-01-01&to=2026-12-31").body
                .string
            #expect(binned.contains("<circle") && binned.contains("Laneway") && binned.contains("<rect x="))
        }
    }
}
