import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
import WellplanCore

@testable import App

@Suite struct IndicatorRouteTests {
    static let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "../../../shared/data/wellbeing"
    ).standardized
    static let components = [
        "Census_Population_2021": "population", "Income_2021": "cwb_income", "Education_2021": "cwb_education",
        "Housing_2021": "cwb_housing",
        "Labour_Force_Activity_2021": "cwb_labour", "CWB_2021": "cwb",
    ]
    static let csv = HTTPMediaType(type: "text", subType: "csv")

    struct Accepted: Decodable { let job: UUID }

    func measures(_ app: Application, _ plan: UUID) async throws {
        let w = RecordWriter(db: app.db, author: .commandLine)
        for code in Set(Self.components.values).sorted() {
            try await w.create(
                Measure(
                    planId: plan, code: code, nameEn: code, resultEn: "Communities thrive",
                    unit: code == "population" ? .count : .index,
                    countsPeople: code == "population"))
        }
    }

    func work(_ app: Application) async throws -> String {
        let job = try #require(try await JobQueue.claim(on: app.db.sql, worker: "test", at: app.clock.now))
        #expect(await JobQueue.run(job, db: app.db, settings: app.settings, logger: app.logger) == .succeeded)
        return try await JobQueue.find(job.id, on: app.db.sql)?.result ?? ""
    }

    func stored(_ app: Application) async throws -> [String: Double?] {
        let rows = try await app.db.sql.raw(
            "SELECT m.code AS code, o.area_code AS area, o.value AS value FROM observations o JOIN measures m ON m.id = o.measure_id"
        ).all()
        return Dictionary(
            uniqueKeysWithValues: try rows.map {
                (
                    "\(try $0.decode(column: "code", as: String.self))|\(try $0.decode(column: "area", as: String.self))",
                    try $0.decode(column: "value", as: Double?.self)
                )
            })
    }

    func mapping(_ dialect: (String) -> String) -> String {
        Self.components.map { "\(dialect($0.key))=\($0.value)" }.joined(separator: "\n").addingPercentEncoding(
            withAllowedCharacters: .alphanumerics)!
    }

    /// Both dialects of the Community Well-Being index, through the API and the job, store the same values;
    /// importing again updates rather than adds.
    @Test func bothCWBDialectsImportToTheSameStoredValuesAndAgainChangeNothing() async throws {
        var first: [String: Double?] = [:]
        for (file, area, dialect) in [
            ("CWB_2021_isc_v1.csv", "CSD_Code_2021", { (s: String) in s }),
            ("CWB_2021_isc_v2_R.csv", "CSD%20Code%202021", { $0.replacingOccurrences(of: "_", with: " ") }),
        ] {
            try await withApp { app in
                let f = try await Fixture.make(app)
                try await measures(app, f.plan.id)
                let body = String(decoding: try Data(contentsOf: Self.data.appendingPathComponent(file)), as: UTF8.self)
                let path =
                    "/api/v1/plans/\(f.plan.id)/observations/import?layout=areas_in_rows&area=\(area)&periodValue=2021&mapping=\(mapping(dialect))"
                let accepted = try await api(
                    app, .POST, path, token: f.tokens[.coordinator], json: body, contentType: Self.csv)
                #expect(accepted.status == .accepted, "\(accepted.body.string.prefix(400))")
                #expect(try await work(app) == "\(5_161 * 6) figures imported")
                let values = try await stored(app)
                #expect(values.count == 5_161 * 6)
                if first.isEmpty { first = values } else { #expect(values == first) }
                #expect(values["cwb|1001113"] == 73)
                #expect(values["cwb_income|1001120"] == .some(nil))  // "NA" and blank alike: missing, not zero

                // Again, with one value changed: updated in place, nothing added.
                let changed = body.replacingOccurrences(
                    of: "1001113,Trepassey,405,76", with: "1001113,Trepassey,405,77"
                )
                .replacingOccurrences(of: "1001113,\"Trepassey\",405,76", with: "1001113,\"Trepassey\",405,77")
                _ = try await api(app, .POST, path, token: f.tokens[.coordinator], json: changed, contentType: Self.csv)
                _ = try await work(app)
                let again = try await stored(app)
                #expect(again.count == values.count && again["cwb_income|1001113"] == 77)
            }
        }
    }

    @Test func aBadFileIsRefusedWholeWithItsLinesAndNothingIsQueued() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            try await measures(app, f.plan.id)
            let body = "measure,period,value\ncwb,2021,70\nunknown,2021,3\ncwb,2021,71\ncwb,2021-Q7,5\n"
            let res = try await api(
                app, .POST, "/api/v1/plans/\(f.plan.id)/observations/import", token: f.tokens[.coordinator], json: body,
                contentType: Self.csv)
            #expect(res.status == .unprocessableEntity)
            for words in ["line 3: measure", "unknown", "line 4", "line 2", "line 5: period"] {
                #expect(res.body.string.contains(words), "\(words)")
            }
            #expect(try await JobQueue.claim(on: app.db.sql, worker: "test", at: app.clock.now) == nil)
            let member = try await api(
                app, .POST, "/api/v1/plans/\(f.plan.id)/observations/import", token: f.tokens[.member], json: body,
                contentType: Self.csv)
            #expect(member.status == .forbidden)
        }
    }

    struct View: Decodable {
        struct Figure: Decodable {
            let period: String
            let breakdown: String
            let value: Double?
            let numerator: Double?
            let withheld: Bool
        }
        struct Line: Decodable {
            let currentActual: Double?
            let currentTarget: Double?
            let percentOfTarget: Double?
        }
        let figures: [Figure]
        let scorecard: Line
        let withheld: Int
    }

    /// Figures typed in through the API, a target, and what the public and partners each see of a count of people.
    @Test func enteredFiguresMakeTheScorecardAndSmallCountsStayWithheld() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let measure = Measure(
                planId: f.plan.id, code: "clients", nameEn: "Youth connected to services", resultEn: "Youth thrive",
                countsPeople: true)
            try await RecordWriter(db: app.db, author: .commandLine).create(measure)
            try await RecordWriter(db: app.db, author: .commandLine).create(
                MeasureTarget(measureId: measure.id, period: "2024", target: 40))
            let entries = #"""
                [{"period":"2023","value":25},{"period":"2024","value":30},{"period":"2024","breakdown":"gender=woman","value":24},
                 {"period":"2024","breakdown":"gender=man","value":6}]
                """#
            let path = "/api/v1/measures/\(measure.id)/observations"
            #expect(try await api(app, .POST, path, token: f.tokens[.coordinator], json: entries).status == .noContent)
            let bad = try await api(
                app, .POST, path, token: f.tokens[.coordinator],
                json: #"[{"period":"soon","value":1},{"period":"2024"}]"#)
            #expect(
                bad.status == .unprocessableEntity && bad.body.string.contains("[0].period")
                    && bad.body.string.contains("[1].value"))

            let partners = try JSONDecoder().decode(
                View.self, from: Data(try await api(app, .GET, path, token: f.tokens[.member]).body.string.utf8))
            #expect(
                partners.withheld == 0 && partners.scorecard.currentActual == 30
                    && partners.scorecard.currentTarget == 40)
            #expect(partners.scorecard.percentOfTarget == 75)
            let policy = app.settings.disclosure
            let shown = policy.shown(
                try await Observations(db: app.db, author: .commandLine).series(measure), of: measure,
                for: .publicRelease)
            #expect(shown.filter(\.withheld).map(\.breakdown.description).sorted() == ["gender=man", "gender=woman"])
        }
    }

    /// A count of people shown to the public: the small cell and the cell that would reveal it are withheld in
    /// the page, the CSV, the JSON and the chart alike, while partners see them; an unpublished measure is not found.
    @Test func aWithheldCellAppearsInNoPublicFormat() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let w = RecordWriter(db: app.db, author: .commandLine)
            let priority = PriorityRiskArea(planId: f.plan.id, number: 1, titleEn: "Youth well-being")
            try await w.create(priority)
            var measure = Measure(
                planId: f.plan.id, code: "youth", nameEn: "Youth connected to services", resultEn: "Youth thrive",
                countsPeople: true,
                priorityIds: [priority.id], published: false)
            try await w.create(measure)
            try await w.create(MeasureTarget(measureId: measure.id, period: "2024", target: 1_100))
            try await Observations(db: app.db, author: .commandLine).save(
                [
                    Observation(period: .year(2023), value: 980), Observation(period: .year(2024), value: 1_037),
                    Observation(period: .year(2024), breakdown: Breakdown(["gender": "woman"]), value: 1_031),
                    Observation(period: .year(2024), breakdown: Breakdown(["gender": "man"]), value: 6),
                ], of: measure)
            let browser = Browser(app)
            #expect(try await browser.get("/public/measures/\(measure.id)").status == .notFound)
            let before = measure
            measure.published = true
            try await w.update(measure, before: before)

            let base = "/public/measures/\(measure.id)"
            let page = try await browser.get(base)
            #expect(page.status == .ok && page.body.string.contains("withheld") && page.body.string.contains("1,037"))
            let csv = try await browser.get(base + "/data.csv").body.string
            let json = try await browser.get(base + "/data.json").body.string
            let chart = try await browser.get(base + "/chart.svg")
            #expect(chart.headers.contentType?.subType == "svg+xml" && chart.body.string.hasPrefix("<svg"))
            for (format, text) in [
                ("page", page.body.string), ("csv", csv), ("json", json), ("chart", chart.body.string),
            ] {
                #expect(!text.contains("1,031") && !text.contains("1031"), "\(format)")
            }
            let rows = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
            #expect(
                rows.filter { $0.count > 7 && $0[3].hasPrefix("gender") }.allSatisfy {
                    $0[4].isEmpty && $0[5].isEmpty && $0[7] == "yes"
                })
            let decoded = try JSONDecoder().decode(View.self, from: Data(json.utf8))
            #expect(
                decoded.withheld == 2
                    && decoded.figures.filter(\.withheld).allSatisfy { $0.value == nil && $0.numerator == nil })
            // The open data API says the same to anyone, without a token.
            let openJSON = try await api(app, .GET, "/api/v1/public/measures/\(measure.id)", token: nil).body.string
            #expect(openJSON == json)
            #expect(
                try await api(app, .GET, "/api/v1/public/measures/\(measure.id)/data.csv", token: nil).body.string
                    == csv)
            #expect(
                try await api(app, .GET, "/api/v1/public/open-data", token: nil).body.string.contains("\(measure.id)"))

            // The dashboard is the public's once the plan is: until a version is published it is not found.
            #expect(try await browser.get("/public/plans/\(f.plan.id)/dashboard").status == .notFound)
            _ = try await PlanVersions.publish(f.plan.id, note: nil, on: app.db, .commandLine)
            // It groups the measure under its priority; the catalogue lists it with its downloads.
            let dashboard = try await browser.get("/public/plans/\(f.plan.id)/dashboard").body.string
            #expect(
                dashboard.contains("Youth well-being") && dashboard.contains("Youth connected to services")
                    && dashboard.contains("1,037"))
            let catalogue = try await browser.get("/public/open-data.json").body.string
            #expect(catalogue.contains(base + "/data.csv") && catalogue.contains("Open Government Licence"))

            // Partners see every figure.
            _ = try await browser.signIn("member@test.ca")
            let partners = try await browser.get("/measures/\(measure.id)/series/data.csv").body.string
            #expect(partners.contains(",1031,") && partners.contains(",6,"))
            let scorecard = try await browser.get("/plans/\(f.plan.id)/scorecard").body.string
            #expect(scorecard.contains("94.3%"), "\(scorecard.suffix(2000))")  // 1,037 of 1,100
        }
    }

    /// The dashboard and scorecards show a count measure's whole area only, but protect it with its areas:
    /// for random figures by area and quarter, they withhold exactly what the measure's page withholds.
    /// A measure with no figure and no target yet has no chart to show or to download.
    @Test func aMeasureWithoutFiguresShowsNoEmptyChart() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let measure = Measure(
                planId: f.plan.id, code: "new", nameEn: "A new measure", resultEn: "Results", published: true)
            try await RecordWriter(db: app.db, author: .commandLine).create(measure)
            let browser = Browser(app)
            let page = try await browser.get("/public/measures/\(measure.id)")
            #expect(page.status == .ok && !page.body.string.contains("<figure class=\"chart\">"))
            #expect(!page.body.string.contains("chart.svg"))
            #expect(try await browser.get("/public/measures/\(measure.id)/chart.svg").status == .notFound)
        }
    }

    @Test func theDashboardWithholdsWhatTheMeasurePageWithholds() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            // Counts from 0 to 24 that vary with the trial, the area and the quarter, the same on every run.
            func count(_ trial: Int, _ area: Int, _ q: Int) -> Double {
                Double((trial * 37 + area * 11 + q * q * 7 + area * q * 5) % 25)
            }
            var differing = 0
            for trial in 0..<8 {
                let measure = Measure(
                    planId: f.plan.id, code: "visits\(trial)", nameEn: "Visits", resultEn: "Supported",
                    countsPeople: true)
                try await RecordWriter(db: app.db, author: .commandLine).create(measure)
                var cells: [Observation] = []
                for (a, area) in ["a", "b", "c"].enumerated() {
                    for q in 1...4 {
                        cells.append(Observation(period: .quarter(2024, q), areaCode: area, value: count(trial, a, q)))
                    }
                }
                var totals: [String: Observation] = [:]
                for cell in cells {
                    for (period, area) in [(cell.period, nil), (.year(2024), cell.areaCode), (.year(2024), nil)]
                        as [(Period, String?)]
                    {
                        let key = Observation(period: period, areaCode: area).key
                        var total = totals[key] ?? Observation(period: period, areaCode: area, value: 0)
                        total.value! += cell.value!
                        totals[key] = total
                    }
                }
                try await Observations(db: app.db, author: .commandLine).save(cells + totals.values, of: measure)
                let policy = app.settings.disclosure
                let page = try await MeasureView.load([measure], db: app.db, policy: policy, audience: .publicRelease)[
                    0]
                let dashboard = try await MeasureView.load(
                    [measure], db: app.db, policy: policy, audience: .publicRelease, wholeAreaOnly: true)[0]
                let whole = page.figures.filter { $0.areaCode == nil }
                #expect(dashboard.figures == whole, "trial \(trial)")
                #expect(dashboard.withheld == whole.filter(\.withheld).count)
                differing += page.figures.count - dashboard.figures.count
            }
            #expect(differing > 0)
        }
    }

    /// What is shown is kept per version of a measure's figures: a figure changed, added or removed is a new version,
    /// never a stale answer.
    @Test func aChangedFigureIsShownAnewNotFromWhatWasKept() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let measure = Measure(
                planId: f.plan.id, code: "visits", nameEn: "Visits", resultEn: "Supported", countsPeople: true)
            try await RecordWriter(db: app.db, author: .commandLine).create(measure)
            let observations = Observations(db: app.db, author: .commandLine)
            func withheld() async throws -> [String] {
                let view = try await MeasureView.load(
                    [measure], db: app.db, policy: app.settings.disclosure, audience: .publicRelease)[0]
                return view.figures.filter(\.withheld).map { $0.areaCode ?? "whole" }.sorted()
            }
            try await observations.save(
                [
                    Observation(period: .year(2024), value: 70),
                    Observation(period: .year(2024), areaCode: "a", value: 30),
                    Observation(period: .year(2024), areaCode: "b", value: 40),
                ], of: measure)
            #expect(try await withheld() == [])
            try await observations.save(
                [
                    Observation(period: .year(2024), value: 43),
                    Observation(period: .year(2024), areaCode: "a", value: 3),
                ], of: measure)
            #expect(try await withheld() == ["a", "b"])
            try await observations.remove(measure, Observation(period: .year(2024), areaCode: "b"))
            try await observations.save([Observation(period: .year(2024), value: 3)], of: measure)
            #expect(try await withheld() == ["a", "whole"])
        }
    }

    /// A sum of two counts shown beside its parts would give back what a part withholds: visits (3 in one
    /// area, withheld with its complement) plus calls (all shown) is 23 there, and 23 − 20 = 3. A calculated
    /// figure worked out from a withheld one is withheld too.
    @Test func aCalculatedMeasureWithholdsWhatItsInputsWithhold() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let w = RecordWriter(db: app.db, author: .commandLine)
            func counts(_ code: String, _ a: Double, _ b: Double) async throws -> Measure {
                let m = Measure(planId: f.plan.id, code: code, nameEn: code, resultEn: "Supported", countsPeople: true)
                try await w.create(m)
                try await Observations(db: app.db, author: .commandLine).save(
                    [
                        Observation(period: .year(2024), value: a + b),
                        Observation(period: .year(2024), areaCode: "a", value: a),
                        Observation(period: .year(2024), areaCode: "b", value: b),
                    ], of: m)
                return m
            }
            let visits = try await counts("visits", 3, 40), calls = try await counts("calls", 20, 20)
            let total = Measure(
                planId: f.plan.id, code: "contacts", nameEn: "Contacts", resultEn: "Supported", countsPeople: true,
                calculation: .sum,
                inputIds: [visits.id, calls.id])
            try await w.create(total)
            let policy = app.settings.disclosure
            let views = try await MeasureView.load(
                [visits, calls, total], db: app.db, policy: policy, audience: .publicRelease)
            let withheld = views.map { Set($0.figures.filter(\.withheld).compactMap(\.areaCode)) }
            #expect(withheld[0] == ["a", "b"] && withheld[1].isEmpty)
            #expect(withheld[2] == ["a", "b"])
            #expect(views[2].figures.filter(\.withheld).allSatisfy { $0.value == nil && $0.numerator == nil })
            // The dashboard's view of the sum says the same.
            let dashboard = try await MeasureView.load(
                [total], db: app.db, policy: policy, audience: .publicRelease, wholeAreaOnly: true)
            #expect(dashboard[0].figures.count == 1 && dashboard[0].figures[0].value == 83)
        }
    }

    /// Figures by area drawn on the measure's layer, a withheld area hatched and named; a calculated measure
    /// whose inputs are of another frequency is refused when it is saved.
    @Test func figuresByAreaMakeAChoroplethAndCalculatedInputsShareAFrequency() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let w = RecordWriter(db: app.db, author: .commandLine)
            let layer = Layer(nameEn: "Wards", layerKind: "wards")
            try await w.create(layer)
            func square(_ lon: Double) -> String {
                let ring = [(lon, 43.0), (lon + 0.01, 43.0), (lon + 0.01, 43.01), (lon, 43.01), (lon, 43.0)].map {
                    "[\($0.0),\($0.1)]"
                }.joined(separator: ",")
                return #"{"type":"Polygon","coordinates":[[\#(ring)]]}"#
            }
            let geojson =
                #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"01","name":"North"},"geometry":\#(square(-79.4))},"#
                + #"{"type":"Feature","properties":{"id":"02","name":"South"},"geometry":\#(square(-79.38))}]}"#
            _ = try await Areas(db: app.db, author: .commandLine).importGeoJSON(
                layer, data: Data(geojson.utf8), idProperty: "id", nameProperty: "name")
            let measure = Measure(
                planId: f.plan.id, code: "visits", nameEn: "Visits", resultEn: "Fewer harms", countsPeople: true,
                layerId: layer.id, published: true)
            try await w.create(measure)
            // "1" finds the layer's "01"; an area the layer lacks is refused with its line.
            let body = "measure,period,area,value\nvisits,2024,1,250\nvisits,2024,02,4\n"
            let path = "/api/v1/plans/\(f.plan.id)/observations/import?area=area"
            #expect(
                try await api(app, .POST, path, token: f.tokens[.coordinator], json: body, contentType: Self.csv).status
                    == .accepted)
            #expect(try await work(app) == "2 figures imported")
            let unknown = try await api(
                app, .POST, path, token: f.tokens[.coordinator], json: body + "visits,2024,99,3\n",
                contentType: Self.csv)
            #expect(unknown.status == .unprocessableEntity && unknown.body.string.contains("line 4: area"))

            let page = try await Browser(app).get("/public/measures/\(measure.id)").body.string
            #expect(page.contains("<title>North: 250</title>") && page.contains("<title>South: withheld</title>"))
            #expect(page.contains("url(#withheld-hatch)") && !page.contains(": 4<"))

            // The same figures as GeoJSON, for a resident's own map: the withheld one null and marked.
            struct Collection: Decodable {
                struct Feature: Decodable {
                    struct Geometry: Decodable { let type: String }
                    struct Properties: Decodable {
                        let areaCode: String
                        let period: String?
                        let value: Double?
                        let withheld: Bool
                    }
                    let geometry: Geometry
                    let properties: Properties
                }
                let type: String
                let features: [Feature]
            }
            let geo = try await Browser(app).get("/public/measures/\(measure.id)/data.geojson")
            #expect(geo.status == .ok && geo.headers.contentType?.subType == "geo+json")
            #expect(!geo.body.string.contains(#""value":4"#))
            let latest = try JSONDecoder().decode(Collection.self, from: Data(geo.body.string.utf8))
            #expect(
                latest.type == "FeatureCollection" && latest.features.map(\.geometry.type) == ["Polygon", "Polygon"])
            #expect(
                latest.features.map(\.properties.areaCode) == ["01", "02"]
                    && latest.features.allSatisfy { $0.properties.period == "2024" })
            #expect(
                latest.features.map(\.properties.value) == [250, nil]
                    && latest.features.map(\.properties.withheld) == [false, true])
            let earlier = try await api(
                app, .GET, "/api/v1/public/measures/\(measure.id)/data.geojson?period=2023", token: nil)
            let none = try JSONDecoder().decode(Collection.self, from: Data(earlier.body.string.utf8))
            #expect(none.features.allSatisfy { $0.properties.value == nil && !$0.properties.withheld })
            #expect(
                try await api(app, .GET, "/api/v1/public/measures/\(measure.id)/data.geojson?period=soon", token: nil)
                    .status == .unprocessableEntity)
            let unmapped = Measure(
                planId: f.plan.id, code: "unmapped", nameEn: "Unmapped", resultEn: "Fewer harms", published: true)
            try await w.create(unmapped)
            #expect(
                try await api(app, .GET, "/api/v1/public/measures/\(unmapped.id)/data.geojson", token: nil).status
                    == .notFound)
            let catalogue = try await api(app, .GET, "/api/v1/public/open-data", token: nil).body.string
            #expect(
                catalogue.contains("/public/measures/\(measure.id)/data.geojson")
                    && !catalogue.contains("/public/measures/\(unmapped.id)/data.geojson"))

            var monthly = Measure(planId: f.plan.id, code: "monthly", nameEn: "Monthly", resultEn: "Fewer harms")
            monthly.frequency = .month
            try await w.create(monthly)
            let rate = Measure(
                planId: f.plan.id, code: "rate", nameEn: "Rate", resultEn: "Fewer harms", calculation: .ratePer100000,
                inputIds: [measure.id, monthly.id])
            await #expect(
                throws: WellplanError.invalid([FieldProblem("inputIds", "error_inputs_frequency", ["monthly", "year"])])
            ) {
                try await w.create(rate)
            }
        }
    }

    /// Toronto's 2016 neighbourhood profile, a row per characteristic and a column per neighbourhood named, not
    /// coded: two rows imported through the API, the "Neighbourhood Number" row giving each column's code in the
    /// layer of the 140 neighbourhoods, "City of Toronto" as the whole.
    @Test func theTorontoProfileImportsOntoTheNeighbourhoodLayer() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let w = RecordWriter(db: app.db, author: .commandLine)
            let layer = Layer(nameEn: "Toronto neighbourhoods", layerKind: "neighbourhoods")
            try await w.create(layer)
            let boundaries = Self.data.deletingLastPathComponent().appendingPathComponent(
                "boundaries/toronto_140_Neighbourhood_Crime_Rates_Boundary_File_clean.json")
            _ = try await Areas(db: app.db, author: .commandLine).importGeoJSON(
                layer, data: try Data(contentsOf: boundaries), idProperty: "Hood_ID", nameProperty: "Neighbourh")
            for code in ["population_2016", "growth_2011_2016"] {
                try await w.create(
                    Measure(
                        planId: f.plan.id, code: code, nameEn: code, resultEn: "Neighbourhoods thrive",
                        unit: code.hasPrefix("growth") ? .percent : .count,
                        layerId: layer.id))
            }
            let mapping = "Population, 2016=population_2016\nPopulation Change 2011-2016=growth_2011_2016"
            let skip = "_id\nCategory\nTopic\nData Source"
            func encoded(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }
            let path =
                "/api/v1/plans/\(f.plan.id)/observations/import?layout=measures_in_rows&label=Characteristic&periodValue=2016"
                + "&whole=City%20of%20Toronto&codesRow=Neighbourhood%20Number&mapping=\(encoded(mapping))&skip=\(encoded(skip))"
            let body = String(
                decoding: try Data(
                    contentsOf: Self.data.appendingPathComponent("toronto_neighbourhood-profiles-2016-140-model.csv")),
                as: UTF8.self)
            let accepted = try await api(
                app, .POST, path, token: f.tokens[.coordinator], json: body, contentType: Self.csv)
            #expect(accepted.status == .accepted, "\(accepted.body.string.prefix(500))")
            #expect(try await work(app) == "\(2 * 141) figures imported")
            let values = try await stored(app)
            #expect(
                values["population_2016|"] == 2_731_571 && values["population_2016|129"] == 29_113
                    && values["growth_2011_2016|129"] == -3.9)
            #expect(values["population_2016|029"] == 10_111)  // Maple Leaf: "29" in the profile, "029" in the layer
        }
    }
}
