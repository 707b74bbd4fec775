import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
import WellplanCore

@testable import App

@Suite struct IncidentImportTests {
    static let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "../../../shared/data"
    ).standardized
    static let query =
        "occurredAt=occurrencedate&category=mci_category&eventId=event_uniq_id&longitude=long&latitude=lat&reportedArea=neighbourhood"

    struct Accepted: Decodable { let job: UUID }
    struct Created: Decodable { let id: UUID }

    func count(_ app: Application, _ sql: String) async throws -> Int {
        try await app.db.sql.raw(SQLQueryString(sql)).first()?.decode(column: "n", as: Int.self) ?? -1
    }

    actor Seen {
        var progress: [Double] = []
        func add(_ value: Double) { progress.append(value) }
    }

    /// Runs the queued job as a worker would; the job's page follows the import as it goes, on both
    /// databases (on SQLite the import stages its rows without the write lock, so its progress is written).
    func work(_ app: Application) async throws -> String {
        let job = try #require(try await JobQueue.claim(on: app.db.sql, worker: "test", at: app.clock.now))
        let seen = Seen()
        let state = await JobQueue.run(job, db: app.db, settings: app.settings, logger: app.logger) { _, _ in
            if let stored = try? await JobQueue.find(job.id, on: app.db.sql)?.progress { await seen.add(stored) }
        }
        #expect(state == .succeeded)
        let stored = await seen.progress
        #expect(stored.contains { $0 > 0 && $0 < 1 }, "\(stored)")
        return try await JobQueue.find(job.id, on: app.db.sql)?.result ?? ""
    }

    @Test func torontoIncidentsImportAssignAndCountAndAgainAddNothing() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let token = f.tokens[.coordinator]!
            let csv = String(
                decoding: try Data(contentsOf: Self.data.appendingPathComponent("crime/toronto_mci_2018.csv")),
                as: UTF8.self)
            let textCSV = HTTPMediaType(type: "text", subType: "csv")

            // Incidents first: no layer has areas yet, so none is assigned. Into an empty table, so on SQLite
            // its plain indexes are dropped and made again; they end as they began.
            let indexesBefore = try await indexDefinitions(app.db.sql)
            let accepted = try await api(
                app, .POST, "/api/v1/incidents/import?\(Self.query)", token: token, json: csv, contentType: textCSV)
            #expect(accepted.status == .accepted, "\(accepted.body.string.prefix(300))")
            #expect(try await work(app) == "35478 rows: 35478 added, 0 already there; 35478 located")
            #expect(try await indexDefinitions(app.db.sql) == indexesBefore)
            #expect(indexesBefore.contains { $0.hasPrefix("incidents_by_place ") })
            #expect(try await count(app, "SELECT COUNT(DISTINCT event_id) AS n FROM incidents") == 31_132)

            // Then the 140 neighbourhoods: every incident already there is assigned.
            let layer = try JSONDecoder().decode(
                Created.self,
                from: Data(
                    try await api(
                        app, .POST, "/api/v1/layers", token: token,
                        json: #"{"nameEn":"Neighbourhoods (140)","layerKind":"neighbourhoods"}"#
                    ).body
                        .string.utf8)
            ).id
            let geojson = String(
                decoding: try Data(
                    contentsOf: Self.data.appendingPathComponent(
                        "boundaries/toronto_140_Neighbourhood_Crime_Rates_Boundary_File_clean.json")),
                as: UTF8.self)
            let areas = try await api(
                app, .POST, "/api/v1/layers/\(layer)/areas?idProperty=Hood_ID&nameProperty=Neighbourh", token: token,
                json: geojson,
                contentType: .json)
            #expect(
                areas.status == .created && areas.body.string.contains(#""areas":140"#),
                "\(areas.body.string.prefix(300))")
            let again = try await api(
                app, .POST, "/api/v1/layers/\(layer)/areas?idProperty=Hood_ID", token: token, json: geojson,
                contentType: .json)
            #expect(again.status == .conflict)

            // Agreement with the neighbourhood the police file names ("Maple Leaf (29)" against Hood_ID "029").
            let rows = try await app.db.sql.raw(
                "SELECT a.code AS code, i.reported_area AS reported FROM incident_areas x JOIN incidents i ON i.id = x.incident_id JOIN areas a ON a.id = x.area_id"
            ).all()
            let agreed = try rows.filter { row in
                let named = try row.decode(column: "reported", as: String.self).split(separator: "(").last.flatMap {
                    Int($0.dropLast())
                }
                return Int(try row.decode(column: "code", as: String.self)) == named
            }.count
            let share = Double(agreed) / 35_478
            print(
                "Toronto 2018 MCI through the import: \(agreed) of 35478 located incidents in the neighbourhood the police name: \(String(format: "%.2f", share * 100)) %"
            )
            #expect(share >= 0.98)

            // Counts by area × year × category add up to the assigned offences; events are counted apart.
            let counts = try JSONDecoder().decode(
                [Incidents.Count].self,
                from: Data(
                    try await api(
                        app, .GET, "/api/v1/incidents/counts?layerId=\(layer)&period=year", token: f.tokens[.member]
                    ).body.string.utf8))
            #expect(counts.map(\.offences).reduce(0, +) == rows.count)
            #expect(counts.allSatisfy { $0.events <= $0.offences } && counts.contains { $0.events < $0.offences })
            #expect(Set(counts.map(\.period)).isSubset(of: ["2017", "2018"]))
            let bounded = "/api/v1/incidents/counts?layerId=\(layer)&period=year&from=2018-01-01&to="
            let from2018 = try JSONDecoder().decode(
                [Incidents.Count].self,
                from: Data(try await api(app, .GET, bounded, token: f.tokens[.member]).body.string.utf8))
            #expect(from2018.map(\.period).allSatisfy { $0 == "2018" } && !from2018.isEmpty)
            let wrongDay = try await api(
                app, .GET, "/api/v1/incidents/counts?layerId=\(layer)&period=year&from=2018-13-01",
                token: f.tokens[.member])
            #expect(wrongDay.status == .unprocessableEntity && wrongDay.body.string.contains("from: must be a date"))

            // The same file again adds nothing.
            #expect(
                try await api(
                    app, .POST, "/api/v1/incidents/import?\(Self.query)", token: token, json: csv, contentType: textCSV
                ).status == .accepted)
            #expect(try await work(app).hasPrefix("35478 rows: 0 added, 35478 already there"))
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM incidents") == 35_478)
        }
    }

    /// Two offences alike in one event are two incidents (keys `k` and `k#1`); the same file again adds
    /// nothing, and a file with the row three times adds only the third.
    @Test func rowsRepeatedInAFileAreKeptEachOnceAndAReimportAddsNothing() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let head = "event_uniq_id,mci_category,occurrencedate,neighbourhood,lat,long\n"
            let row = "E1,assault,2018-01-01T11:55:00.000Z,A (1),43.7,-79.4\n"
            let other = "E2,robbery,2018-01-02T11:55:00.000Z,A (1),43.7,-79.4\n"
            func upload(_ csv: String) async throws -> String {
                let res = try await api(
                    app, .POST, "/api/v1/incidents/import?\(Self.query)", token: f.tokens[.coordinator], json: csv,
                    contentType: HTTPMediaType(type: "text", subType: "csv"))
                #expect(res.status == .accepted, "\(res.body.string)")
                return try await work(app)
            }
            #expect(try await upload(head + row + other + row).hasPrefix("3 rows: 3 added, 0 already there"))
            let keys = try await app.db.sql.raw("SELECT row_key FROM incidents").all().map {
                try $0.decode(column: "row_key", as: String.self)
            }
            #expect(keys.count == 3 && keys.filter { $0.hasSuffix("#1") }.count == 1)
            #expect(try await upload(head + row + other + row).hasPrefix("3 rows: 0 added, 3 already there"))
            #expect(try await upload(head + row + row + row).hasPrefix("3 rows: 1 added, 2 already there"))
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM incidents") == 4)
        }
    }

    /// An incident imported before ids were made from digests keeps its id and its assignment; importing
    /// its file again adds neither a second incident nor an assignment naming an incident that is not there.
    @Test func anIncidentKeptUnderAnEarlierIdKeepsItsOneAssignment() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let token = f.tokens[.coordinator]!
            let layer = try JSONDecoder().decode(
                Created.self,
                from: Data(
                    try await api(
                        app, .POST, "/api/v1/layers", token: token,
                        json: #"{"nameEn":"Square","layerKind":"neighbourhoods"}"#
                    ).body.string.utf8)
            ).id
            let square =
                #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"1"},"#
                + #""geometry":{"type":"Polygon","coordinates":[[[-80,43],[-79,43],[-79,44],[-80,44],[-80,43]]]}}]}"#
            let areas = try await api(
                app, .POST, "/api/v1/layers/\(layer)/areas?idProperty=id", token: token, json: square,
                contentType: .json)
            #expect(areas.status == .created, "\(areas.body.string)")
            let head = "event_uniq_id,mci_category,occurrencedate,neighbourhood,lat,long\n"
            let first = "E1,assault,2018-01-01T11:55:00.000Z,A (1),43.7,-79.4\n"
            let second = "E2,robbery,2018-01-02T11:55:00.000Z,A (1),43.6,-79.5\n"
            func upload(_ csv: String) async throws -> String {
                let res = try await api(
                    app, .POST, "/api/v1/incidents/import?\(Self.query)", token: token, json: csv,
                    contentType: HTTPMediaType(type: "text", subType: "csv"))
                #expect(res.status == .accepted, "\(res.body.string)")
                return try await work(app)
            }
            #expect(try await upload(head + first).hasPrefix("1 rows: 1 added"))

            // Give the incident the id an earlier version made from its key, its assignment following.
            let sql = app.db.sql
            let kept = try #require(try await sql.raw("SELECT id, row_key FROM incidents").first())
            let key = try kept.decode(column: "row_key", as: String.self)
            let digestId = try kept.decode(column: "id", as: UUID.self)
            let earlierId = Incidents.uuid(key)
            #expect(earlierId != digestId)
            let assignment = try #require(try await sql.raw("SELECT id, layer_id, area_id FROM incident_areas").first())
            try await sql.raw("DELETE FROM incident_areas").run()
            try await sql.raw("UPDATE incidents SET id = \(bind: earlierId) WHERE id = \(bind: digestId)").run()
            try await sql.raw(
                """
                INSERT INTO incident_areas (id, incident_id, layer_id, area_id) VALUES (\(bind:
                try assignment.decode(column: "id", as: UUID.self)), \(bind: earlierId), \(bind:
                try assignment.decode(column: "layer_id", as: UUID.self)), \(bind:
                try assignment.decode(column: "area_id", as: UUID.self)))
                """
            ).run()

            #expect(try await upload(head + first + second).hasPrefix("2 rows: 1 added, 1 already there"))
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM incidents") == 2)
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM incident_areas") == 2)
            let orphans = "SELECT COUNT(*) AS n FROM incident_areas WHERE incident_id NOT IN (SELECT id FROM incidents)"
            #expect(try await count(app, orphans) == 0)
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM incidents WHERE id = '\(earlierId.text)'") == 1)
        }
    }

    @Test func aMalformedFileIsRefusedWholeWithItsLinesAndMembersCannotImport() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            func upload(_ csv: String, as role: Role = .coordinator, query: String = Self.query) async throws
                -> TestingHTTPResponse
            {
                try await api(
                    app, .POST, "/api/v1/incidents/import?\(query)", token: f.tokens[role], json: csv,
                    contentType: HTTPMediaType(type: "text", subType: "csv"))
            }
            let bad =
                "event_uniq_id,mci_category,occurrencedate,neighbourhood,lat,long\nE1,assault,2018-01-01T11:55:00.000Z,A (1),43.7,-79.4\n"
                + "E2,assault,2018-02-30T11:55:00.000Z,A (1),43.7,-79.4\nE3,assault,2018-03-01T11:55:00.000Z,A (1),43.7,west\n"
            let res = try await upload(bad)
            #expect(
                res.status == .unprocessableEntity && res.body.string.contains("line 3")
                    && res.body.string.contains("line 4"), "\(res.body.string)")
            #expect(try await count(app, "SELECT COUNT(*) AS n FROM incidents") == 0)
            #expect(try await JobQueue.claim(on: app.db.sql, worker: "test", at: app.clock.now) == nil)
            let missing = try await upload(bad, query: "occurredAt=when")
            #expect(missing.status == .unprocessableEntity && missing.body.string.contains("category"))
            // A NUL, which PostgreSQL cannot store, is named with its line on either database.
            let nul =
                "event_uniq_id,mci_category,occurrencedate,neighbourhood,lat,long\n"
                + "E1,assault,2018-01-01T11:55:00.000Z,A\u{0} (1),43.7,-79.4\n"
            let withNul = try await upload(nul)
            #expect(
                withNul.status == .unprocessableEntity && withNul.body.string.contains("line 2")
                    && withNul.body.string.contains("control"), "\(withNul.body.string)")
            #expect(try await upload(bad, as: .member).status == .forbidden)
        }
    }
}

/// An incident file that names areas by code: a code the layer lacks ("NSA", not specified) is refused
/// with its line, or, where the import is asked to keep such rows, kept without a place and listed; a
/// police file's "023" is the layer's area 23; a re-import adds nothing.
@Suite struct IncidentAreaCodeTests {
    @Test func aCodeTheLayerLacksIsRefusedWithItsLineOrKeptAndListed() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let token = f.tokens[.coordinator]!
            let data = IncidentImportTests.data
            let layer = Layer(nameEn: "Neighbourhoods (158)", layerKind: "neighbourhoods")
            try await RecordWriter(db: app.db, author: .commandLine).create(layer)
            let boundaries = try Data(
                contentsOf: data.appendingPathComponent("crime/Neighbourhood_Crime_Rates_Open_Data.geojson"))
            let areas = try await api(
                app, .POST, "/api/v1/layers/\(layer.id)/areas?idProperty=HOOD_ID", token: token, bytes: boundaries,
                contentType: .json)
            #expect(areas.status == .created)
            let shootings = try Data(
                contentsOf: data.appendingPathComponent("crime/tps_shootings_firearm_discharges_2004_2024.csv"))
            let unknown = String(decoding: shootings, as: UTF8.self).split(separator: "\n").enumerated()
                .filter { $0.element.split(separator: ",")[13] == "NSA" }.map { $0.offset + 1 }
            #expect(unknown.count == 67)
            let query =
                "occurredAt=OCC_DATE&category=DIVISION&eventId=EVENT_UNIQUE_ID&areaColumn=HOOD_158&areaLayerId=\(layer.id)"
            let textCSV = HTTPMediaType(type: "text", subType: "csv")

            let refused = try await api(
                app, .POST, "/api/v1/incidents/import?\(query)", token: token, bytes: shootings, contentType: textCSV)
            #expect(refused.status == .unprocessableEntity)
            struct Problems: Decodable {
                struct Problem: Decodable { let field: String }
                let problems: [Problem]
            }
            let named = try JSONDecoder().decode(Problems.self, from: Data(refused.body.string.utf8)).problems.map(
                \.field)
            #expect(named == unknown.map { "line \($0): HOOD_158" })
            #expect(try await JobQueue.claim(on: app.db.sql, worker: "test", at: app.clock.now) == nil)

            let kept = try await api(
                app, .POST, "/api/v1/incidents/import?\(query)&unplaced=keep", token: token, bytes: shootings,
                contentType: textCSV)
            #expect(kept.status == .accepted, "\(kept.body.string)")
            let lines = unknown.map(String.init).joined(separator: ", ")
            #expect(
                try await IncidentImportTests().work(app)
                    == "6295 rows: 6295 added, 0 already there; 6228 located, 67 kept without a place (lines \(lines))")
            let assigned = try await app.db.sql.raw("SELECT COUNT(*) AS n FROM incident_areas").first()?.decode(
                column: "n", as: Int.self)
            #expect(assigned == 6228)

            let again = try await api(
                app, .POST, "/api/v1/incidents/import?\(query)&unplaced=keep", token: token, bytes: shootings,
                contentType: textCSV)
            #expect(again.status == .accepted)
            #expect(try await IncidentImportTests().work(app).hasPrefix("6295 rows: 0 added, 6295 already there"))
            #expect(
                try await app.db.sql.raw("SELECT COUNT(*) AS n FROM incidents").first()?.decode(
                    column: "n", as: Int.self) == 6295)
        }
    }
}
