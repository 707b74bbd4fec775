import Foundation
import Testing

@testable import WellplanCore

@Suite struct GeometryTests {
    func square(_ x: Double, _ y: Double, _ side: Double) -> [Position] {
        [(x, y), (x + side, y), (x + side, y + side), (x, y + side), (x, y)].map {
            Position(longitude: $0.0, latitude: $0.1)
        }
    }

    @Test func aPointIsInsideTheOuterRingAndOutsideTheHoles() {
        let donut = Shape(polygons: [[square(0, 0, 10), square(4, 4, 2)]])
        #expect(donut.contains(Position(longitude: 1, latitude: 1)))
        #expect(!donut.contains(Position(longitude: 5, latitude: 5)))  // in the hole
        #expect(!donut.contains(Position(longitude: 11, latitude: 5)))
        let two = Shape(polygons: [[square(0, 0, 1)], [square(5, 5, 1)]])
        #expect(
            two.contains(Position(longitude: 5.5, latitude: 5.5)) && !two.contains(Position(longitude: 3, latitude: 3)))
    }

    @Test func distancesAreInMetres() {
        // A 0.001° square near Toronto; a point 0.001° of latitude north of it is about 111 m away.
        let site = Shape(polygons: [[square(-79.4, 43.65, 0.001)]])
        let north = Position(longitude: -79.3995, latitude: 43.652)
        #expect(abs(site.distance(to: north) - 111.3) < 0.5)
        #expect(site.distance(to: Position(longitude: -79.3995, latitude: 43.6505)) == 0)
        #expect(abs(metres(Position(longitude: -79.3995, latitude: 43.651), north) - 111.2) < 0.5)
    }

    @Test func theIndexFindsWhatAPlainScanFinds() {
        var rng = SystemRandomNumberGenerator()
        let shapes = (0..<50).map { i in Shape(polygons: [[square(Double(i % 10), Double(i / 10), 1)]]) }
        let index = AreaIndex(shapes)
        for _ in 0..<2_000 {
            let p = Position(
                longitude: Double.random(in: -1...11, using: &rng), latitude: Double.random(in: -1...6, using: &rng))
            #expect(index.locate(p) == shapes.firstIndex { $0.contains(p) })
        }
    }
}

@Suite struct TorontoAssignmentTests {
    static let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "../../../shared/data"
    ).standardized

    /// The 2018 Major Crime Indicators name each incident's neighbourhood ("Maple Leaf (29)"); the 140
    /// boundaries carry `Hood_ID`. Shapely agrees with the police on 98.5 % of located points.
    @Test func torontoIncidentsLandInTheNeighbourhoodThePoliceName() throws {
        let layer = try GeoJSONLayer(
            data: try Data(
                contentsOf: Self.data.appendingPathComponent(
                    "boundaries/toronto_140_Neighbourhood_Crime_Rates_Boundary_File_clean.json")),
            idProperty: "Hood_ID", nameProperty: "Neighbourh")
        #expect(layer.areas.count == 140 && layer.propertyNames.contains("Neighbourh"))
        let index = AreaIndex(layer.areas.map(\.shape))
        let csv = try CSVDocument(
            data: try Data(contentsOf: Self.data.appendingPathComponent("crime/toronto_mci_2018.csv")))
        let (hood, lat, lon) = (csv.column("neighbourhood")!, csv.column("lat")!, csv.column("long")!)
        var located = 0, agreed = 0
        for row in csv.rows {
            guard let y = Double(row.fields[lat]), let x = Double(row.fields[lon]) else { continue }
            let p = Position(longitude: x, latitude: y)
            guard p.isValid else { continue }
            located += 1
            let named = row.fields[hood].split(separator: "(").last.flatMap { Int($0.dropLast()) }
            if let i = index.locate(p), Int(layer.areas[i].code) == named { agreed += 1 }
        }
        let share = Double(agreed) / Double(located)
        print(
            "Toronto 2018 MCI: \(agreed) of \(located) located points in the neighbourhood the police name: \(String(format: "%.2f", share * 100)) %"
        )
        #expect(csv.rows.count == 35_478 && located > 35_000)
        #expect(share >= 0.98)
    }

    @Test func aLayerOfOtherShapesOrAMissingIdIsRefusedWithTheFeature() {
        let point =
            #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Point","coordinates":[0,0]}}]}"#
        #expect(throws: WellplanError.invalid([FieldProblem("feature 1: geometry", "error_geojson_type", ["Point"])])) {
            try GeoJSONLayer(data: Data(point.utf8), idProperty: "id", nameProperty: nil)
        }
        let ring = "[[0,0],[1,0],[1,1],[0,0]]"
        let noId =
            #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"x"},"geometry":{"type":"Polygon","coordinates":[\#(ring)]}}]}"#
        #expect(
            throws: WellplanError.invalid([FieldProblem("feature 1: id", "error_geojson_missing_property", ["id"])])
        ) {
            try GeoJSONLayer(data: Data(noId.utf8), idProperty: "id", nameProperty: nil)
        }
        let projected =
            #"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:26917"}},"features":[]}"#
        #expect(throws: WellplanError.self) {
            try GeoJSONLayer(data: Data(projected.utf8), idProperty: "id", nameProperty: nil)
        }
    }
}

@Suite struct UTMTests {
    @Test func theCentralMeridianAndTheMeridianArcAreExact() throws {
        let zone = try #require(UTMZone(17))
        let (e, n) = zone.coordinates(of: Position(longitude: -81, latitude: 45))
        #expect(abs(e - 500_000) < 1e-6)
        // GRS80 meridian arc from the equator to 45°: 4,984,944.378 m; UTM scales it by 0.9996.
        #expect(abs(n - 0.9996 * 4_984_944.378) < 0.01)
    }

    @Test func coordinatesGoThereAndBackWithinAMillimetre() throws {
        let zone = try #require(UTMZone(17))
        for p in [
            Position(longitude: -79.3832, latitude: 43.6532), Position(longitude: -82.9, latitude: 42.3),
            Position(longitude: -78.1, latitude: 44.9),
        ] {
            let (e, n) = zone.coordinates(of: p)
            let back = zone.position(easting: e, northing: n)
            #expect(metres(p, back) < 0.001, "\(p)")
        }
        #expect(UTMZone(61) == nil && UTMZone(0) == nil)
    }
}

@Suite struct WeightedDisplacementTests {
    /// Wheeler & Ratcliffe's example: treated 100 → 80, control 100 → 90: WDD −10, SE √370 ≈ 19.2.
    @Test func theWeightedDisplacementDifferenceMatchesThePublishedExample() throws {
        let w = WeightedDisplacementQuotient(
            .init(response: .init(before: 100, after: 80), buffer: nil, control: .init(before: 100, after: 90)))
        #expect(w.difference == -10)
        #expect(abs(try #require(w.standardError) - 370.0.squareRoot()) < 1e-9)
        #expect(w.isSignificant == false)
        #expect(w.grossEffect == 20)
    }

    /// By hand: Rb 100, Ra 70, Cb 200, Ca 190, Db 80, Da 76. Success = 70/190 − 100/200 = −0.1316;
    /// buffer = 76/190 − 80/200 = 0; WDQ = 0; TNE = (100·0.95 − 70) + (80·0.95 − 76) = 25; NE = 0.1316.
    @Test func theQuotientAndTotalNetEffectMatchAHandComputedExample() throws {
        let w = WeightedDisplacementQuotient(
            .init(
                response: .init(before: 100, after: 70), buffer: .init(before: 80, after: 76),
                control: .init(before: 200, after: 190)))
        #expect(abs(try #require(w.successMeasure) - (70.0 / 190 - 0.5)) < 1e-12)
        #expect(abs(try #require(w.quotient)) < 1e-12 && w.reading == .noDisplacement)
        #expect(abs(try #require(w.totalNetEffect) - 25) < 1e-9)
        #expect(abs(try #require(w.netEffect) - (0.5 - 70.0 / 190)) < 1e-12)
        // WDD with the buffer: (−30 − −10) + (−4 − −10) = −14; variance 100+70+200+190 + 80+76+200+190 = 1106.
        #expect(w.difference == -14 && abs(w.standardError! - 1106.0.squareRoot()) < 1e-9)
        // Da 90: buffer = 90/190 − 0.4 = 0.0737; WDQ = 0.0737 / −0.1316 = −0.56: some displacement, a net benefit.
        let displaced = WeightedDisplacementQuotient(
            .init(
                response: .init(before: 100, after: 70), buffer: .init(before: 80, after: 90),
                control: .init(before: 200, after: 190)))
        #expect(
            abs(displaced.quotient! - (90.0 / 190 - 0.4) / (70.0 / 190 - 0.5)) < 1e-12
                && displaced.reading == .someDisplacementNetBenefit)
    }

    @Test func tooFewIncidentsSayInsufficientDataAndAnIncreaseGivesNoQuotient() {
        let few = WeightedDisplacementQuotient(
            .init(response: .init(before: 4, after: 2), buffer: nil, control: .init(before: 50, after: 50)))
        #expect(
            few.insufficientData && few.quotient == nil && few.difference == nil && few.reading == .insufficientData)
        let worse = WeightedDisplacementQuotient(
            .init(
                response: .init(before: 50, after: 80), buffer: .init(before: 40, after: 40),
                control: .init(before: 100, after: 100)))
        #expect(worse.quotient == nil && worse.reading == .noReduction && worse.grossEffect == -30)
    }
}

@Suite struct IncidentReaderTests {
    func file(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("incidents-\(UUID()).csv")
        try Data(text.utf8).write(to: url)
        return url
    }

    let mci = IncidentColumns(
        occurredAt: "occurrencedate", category: "mci_category", eventId: "event_uniq_id",
        location: .longitudeLatitude(longitude: "long", latitude: "lat"),
        reportedArea: "neighbourhood")

    @Test func torontoRowsStreamWithTheirEventsAndLocalDays() async throws {
        var reader = try IncidentReader(mci)
        var rows = 0, located = 0
        var events = Set<String>()
        try await ImportPipeline.stream(
            TorontoAssignmentTests.data.appendingPathComponent("crime/toronto_mci_2018.csv"), &reader
        ) { piece in
            for incident in piece {
                rows += 1
                events.insert(incident.eventId)
                if incident.position != nil { located += 1 }
            }
        }
        #expect(rows == 35_478 && events.count == 31_132 && located == 35_478)
    }

    /// The reader's arithmetic against the calendar it replaced, in zones with daylight saving time, half
    /// and quarter hours: every day of two years at the times that matter, and every minute of the nights
    /// the clocks change.
    @Test func incidentTimesAgreeWithTheCalendarInEveryZone() {
        func oracle(_ text: String, _ zone: TimeZone) -> (Timestamp, Day)? {
            let pattern = /(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?/
            guard let m = text.wholeMatch(of: pattern) else { return nil }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            if let offset = m.output.7 {
                let sign = offset.hasPrefix("-") ? -1 : 1
                let digits = offset.filter(\.isNumber)
                let seconds = offset == "Z" ? 0 : sign * (Int(digits.prefix(2))! * 3600 + Int(digits.suffix(2))! * 60)
                calendar.timeZone = TimeZone(secondsFromGMT: seconds)!
            }
            let day = Int(m.output.3)!
            let components = DateComponents(
                year: Int(m.output.1)!, month: Int(m.output.2)!, day: day, hour: m.output.4.map { Int($0)! } ?? 0,
                minute: m.output.5.map { Int($0)! } ?? 0, second: m.output.6.map { Int($0)! } ?? 0)
            guard let date = calendar.date(from: components), calendar.component(.day, from: date) == day else {
                return nil
            }
            var local = Calendar(identifier: .gregorian)
            local.timeZone = zone
            let parts = local.dateComponents([.year, .month, .day], from: date)
            return (Timestamp(date), Day(year: parts.year!, month: parts.month!, day: parts.day!)!)
        }
        let zones = [
            "America/Toronto", "America/Vancouver", "America/St_Johns", "America/Halifax", "America/Regina",
            "Europe/London", "Australia/Lord_Howe", "Asia/Kathmandu", "UTC",
        ].map { TimeZone(identifier: $0)! }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var mismatches: [String] = []
        for zone in zones {
            var texts: [String] = []
            var day = Day("2018-01-01")!
            while day < Day("2020-01-01")! {
                let date = day.description
                texts += [date, date + " 00:00", date + " 01:59:59", date + " 02:00", date + " 02:30", date + " 03:00"]
                texts += [date + "T04:30:00.000Z", date + "T23:59:59Z", date + "T12:00:00-05:00", date + " 23:59"]
                day = day.adding(days: 1)
            }
            // Every minute of the nights the clocks change.
            var instant = Day("2018-01-01")!.date
            while let change = zone.nextDaylightSavingTimeTransition(after: instant), change < Day("2020-01-01")!.date {
                var local = Calendar(identifier: .gregorian)
                local.timeZone = zone
                let parts = local.dateComponents([.year, .month, .day], from: change)
                let night = Day(year: parts.year!, month: parts.month!, day: parts.day!)!.description
                for minute in 0..<(5 * 60) {
                    texts.append(night + " " + String(format: "%02d:%02d", minute / 60, minute % 60))
                }
                instant = change
            }
            // One reader's remembered offsets serve the whole file.
            var offsets = ZoneOffsets(zone)
            for text in texts {
                let fast = IncidentReader.time(text, &offsets)
                let slow = oracle(text, zone)
                if fast?.0 != slow?.0 || fast?.1 != slow?.1 {
                    mismatches.append(
                        "\(zone.identifier) \(text): \(String(describing: fast)) ≠ \(String(describing: slow))")
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count): \(mismatches.prefix(5))")
    }

    @Test func timesAreInstantsWithTheLocalDayTheyFellOn() throws {
        let zone = TimeZone(identifier: "America/Toronto")!
        let late = try #require(IncidentReader.time("2018-01-01T03:00:00.000Z", zone))
        #expect(late.1 == Day("2017-12-31") && late.0.description.hasPrefix("2018-01-01T03:00:00"))
        #expect(IncidentReader.time("2018-07-01 14:30", zone)?.0.description.hasPrefix("2018-07-01T18:30") == true)
        #expect(IncidentReader.time("2018-07-01", zone)?.1 == Day("2018-07-01"))
        #expect(
            IncidentReader.time("2018-07-01T10:00:00-04:00", zone)?.0.description.hasPrefix("2018-07-01T14:00") == true)
        for bad in ["2018-02-30", "07/01/2018", "2018-07-01T25:00", "2018-07-01Tnoon", ""] {
            #expect(IncidentReader.time(bad, zone) == nil, "\(bad)")
        }
    }

    /// A bad row refuses the file with its line; so does a row with no place (0 and 0), unless the import
    /// keeps such rows: then it is kept without a position.
    @Test func aBadRowOrARowWithoutAPlaceRefusesTheFileWithItsLine() async throws {
        let text =
            "event_uniq_id,mci_category,occurrencedate,neighbourhood,lat,long\nE1,assault,2018-01-01T11:55:00.000Z,Maple Leaf (29),0,0\n"
            + "E2,robbery,2018-13-01,Maple Leaf (29),43.7,-79.4\nE3,,2018-01-02,Maple Leaf (29),43.7,north\n"
        var reader = try IncidentReader(mci)
        var handed = 0
        do {
            try await ImportPipeline.stream(try file(text), &reader) { handed += $0.count }
            Issue.record("the file was accepted")
        } catch WellplanError.invalid(let problems) {
            #expect(
                problems.map(\.field) == [
                    "line 2: long", "line 3: occurrencedate", "line 4: mci_category", "line 4: long",
                ])
            #expect(problems[0].messageKey == "error_incident_no_place")
        }
        let good =
            "event_uniq_id,mci_category,occurrencedate,neighbourhood,lat,long\nE1,assault,2018-01-01T11:55:00.000Z,Maple Leaf (29),0,0\n"
        reader = try IncidentReader(mci, keepsUnplaced: true)
        var incidents: [Incident] = []
        try await ImportPipeline.stream(try file(good), &reader) { incidents += $0 }
        #expect(incidents.count == 1 && incidents[0].position == nil && incidents[0].reportedArea == "Maple Leaf (29)")
        // An area code matches the layer's as the same whole number: "023" is area "23".
        let codes = AreaCodes(["23", "174", "NSA-zone"])
        #expect(
            codes.match("023") == "23" && codes.match("23") == "23" && codes.match("NSA-zone") == "NSA-zone"
                && codes.match("NSA") == nil)
        #expect(incidents[0].key(repeat: 0) != incidents[0].key(repeat: 1))
    }

    @Test func projectedCoordinatesAreReadInTheirZone() async throws {
        let zone = try #require(UTMZone(17))
        let cityHall = Position(longitude: -79.3832, latitude: 43.6532)
        let (x, y) = zone.coordinates(of: cityHall)
        var reader = try IncidentReader(
            .init(occurredAt: "when", category: "what", eventId: "id", location: .utm(x: "x", y: "y", zone: 17)),
            keepsUnplaced: true)
        var found: [Incident] = []
        try await ImportPipeline.stream(
            try file("id,what,when,x,y\nA,theft,2020-05-01,\(x),\(y)\nB,theft,2020-05-01,0,0\n"), &reader
        ) { found += $0 }
        #expect(metres(try #require(found[0].position), cityHall) < 0.01 && found[1].position == nil)
        #expect(throws: WellplanError.self) {
            try IncidentReader(
                .init(occurredAt: "a", category: "b", eventId: "c", location: .utm(x: "x", y: "y", zone: 99)))
        }
    }
}

@Suite struct CptedAuditTests {
    @Test func aSiteIsAPointOrALayersAreaAndAStartTimeIsATime() {
        let project = UUID()
        let point = CptedAudit(
            projectId: project, siteName: "Alley behind Main St", latitude: 42.05, longitude: -82.6,
            auditedOn: Day("2025-09-18")!,
            method: "womens_safety_audit")
        #expect(point.ruleProblems().isEmpty && point.position != nil)
        let nowhere = CptedAudit(
            projectId: project, siteName: "?", auditedOn: Day("2025-09-18")!, method: "community_walkabout")
        #expect(nowhere.ruleProblems().map(\.messageKey) == ["error_site_needs_place"])
        let halfArea = CptedAudit(
            projectId: project, siteName: "Park", siteAreaCode: "P1", auditedOn: Day("2025-09-18")!,
            method: "professional_cpted")
        #expect(halfArea.ruleProblems().map(\.messageKey).contains("error_site_area_needs_layer"))
        var late = point
        late.startTime = "25:00"
        #expect(late.ruleProblems().map(\.field) == ["startTime"])
    }

    @Test func aRecommendationMovesAlongItsWorkflowWithItsReasonsAndDate() {
        let audit = UUID()
        var r = CptedRecommendation(auditId: audit, category: "lighting", descriptionEn: "Add lighting in the alley")
        #expect(r.ruleProblems().isEmpty)
        r.status = .implemented
        #expect(r.ruleProblems().map(\.messageKey) == ["error_implemented_on_required"])
        r.implementedOn = Day("2026-03-01")
        #expect(r.ruleProblems().isEmpty && r.isImplemented)
        r.status = .deferred
        #expect(Set(r.ruleProblems().map(\.messageKey)) == ["error_reason_required", "error_not_implemented_yet"])
        #expect(
            RecommendationStatus.proposed.mayMove(to: .accepted)
                && !RecommendationStatus.proposed.mayMove(to: .implemented))
        #expect(RecommendationStatus.verified.next.isEmpty)
    }

    @Test func anAuditCountsIntoOutputsWithItsRecommendations() {
        let audit = CptedAudit(
            projectId: UUID(), siteName: "Lane", latitude: 42, longitude: -82, auditedOn: Day("2025-09-18")!,
            method: "professional_cpted")
        let recs = [
            CptedRecommendation(
                auditId: audit.id, category: "lighting", descriptionEn: "a", status: .implemented,
                implementedOn: Day("2026-01-01")),
            CptedRecommendation(
                auditId: audit.id, category: "landscaping", descriptionEn: "b", status: .verified,
                implementedOn: Day("2026-01-01")),
            CptedRecommendation(auditId: audit.id, category: "signage", descriptionEn: "c"),
            CptedRecommendation(auditId: UUID(), category: "signage", descriptionEn: "another audit's"),
        ]
        #expect(
            CountedWork(audit, recommendations: recs).counts == [
                .auditsCompleted: 1, .recommendationsMade: 3, .recommendationsImplemented: 2,
            ])
    }
}

@Suite struct EvaluationDesignTests {
    @Test func windowsAreEqualAndSeasonallyMatchedByDefault() {
        let d = EvaluationDesign(implementedOn: Day("2026-03-01")!, months: 6)
        #expect(d.after == Day("2026-03-01")!..<Day("2026-09-01")!)
        #expect(d.before == Day("2025-03-01")!..<Day("2025-09-01")!)  // the same months, a year earlier
        var plain = d
        plain.seasonallyMatched = false
        #expect(plain.before == Day("2025-09-01")!..<Day("2026-03-01")!)
        #expect(EvaluationDesign(implementedOn: Day("2026-03-01")!, months: 18).before.lowerBound == Day("2024-03-01"))
        #expect(EvaluationDesign(implementedOn: Day("2026-03-01")!, months: 0).problems().map(\.field) == ["months"])
    }

    @Test func zonesAndTheControlAreKeptApart() {
        let d = EvaluationDesign(implementedOn: Day("2026-03-01")!, siteRadius: 100, bufferWidth: 200)
        #expect(
            d.zone(distance: 80) == .response && d.zone(distance: 250) == .buffer && d.zone(distance: 301) == .outside)
        #expect(
            d.controlProblem(distanceFromSite: 250, siteIsArea: false)?.messageKey == "error_control_overlaps_buffer")
        #expect(d.controlProblem(distanceFromSite: 350, siteIsArea: false) == nil)
        #expect(d.controlProblem(distanceFromSite: 250, siteIsArea: true) == nil)
    }

    @Test func theResultIsSaidInWordsInBothLanguages() {
        let w = WeightedDisplacementQuotient(
            .init(
                response: .init(before: 100, after: 70), buffer: .init(before: 80, after: 76),
                control: .init(before: 200, after: 190)))
        let en = EvaluationVerdict.words(w, .en), fr = EvaluationVerdict.words(w, .fr)
        #expect(en.count == 2 && en[0].contains("no sign of displacement") && en[1].contains("-14.0"))
        #expect(fr.count == 2 && fr[0].contains("aucun signe de déplacement"))
        let few = WeightedDisplacementQuotient(
            .init(response: .init(before: 3, after: 1), buffer: nil, control: .init(before: 50, after: 40)))
        #expect(
            EvaluationVerdict.words(few, .en) == [
                "Insufficient data: some area had fewer than 5 incidents in a window, too few to say anything."
            ])
    }
}

@Suite struct MapTests {
    @Test func theFrameFitsTheBoundsAndKeepsShapes() {
        let box = BoundingBox([Position(longitude: -79.5, latitude: 43.6), Position(longitude: -79.3, latitude: 43.8)])
        let frame = MapFrame(bounds: box, width: 800, margin: 10)
        let (x0, y0) = frame.point(Position(longitude: -79.5, latitude: 43.6))
        let (x1, y1) = frame.point(Position(longitude: -79.3, latitude: 43.8))
        #expect(
            abs(x0 - 10) < 1e-9 && abs(x1 - 790) < 1e-9 && abs(y1 - 10) < 1e-9 && abs(y0 - (frame.height - 10)) < 1e-9)
        // 0.2° of longitude is shorter than 0.2° of latitude at 43.7°N: the map is taller than wide.
        #expect(frame.height > frame.width)
        let square = Shape(polygons: [
            [
                [(-79.5, 43.6), (-79.3, 43.6), (-79.3, 43.8), (-79.5, 43.6)].map {
                    Position(longitude: $0.0, latitude: $0.1)
                }
            ]
        ])
        #expect(frame.path(square).hasPrefix("M10.0 ") && frame.path(square).hasSuffix("Z"))
    }

    @Test func binsCountEveryPointInsideOnce() {
        let box = BoundingBox([Position(longitude: 0, latitude: 0), Position(longitude: 1, latitude: 1)])
        let points =
            (0..<500).map { i in Position(longitude: Double(i % 25) / 25, latitude: Double(i / 25) / 20) } + [
                Position(longitude: 2, latitude: 2)
            ]
        let bins = GridBins(points, bounds: box, side: 10)
        #expect(bins.cells.map(\.count).reduce(0, +) == 500)
        #expect(bins.cells.allSatisfy { $0.count > 0 })
    }

    @Test func classesSplitByQuantileAndSayTheirRanges() {
        let classes = MapClasses(Array(1...100))
        #expect(
            classes.upperBounds == [20, 40, 60, 80, 100] && classes.ranges.first == "0–20"
                && classes.ranges.last == "81–100")
        #expect(classes.shade(of: 1) == MapClasses.shades[0] && classes.shade(of: 100) == MapClasses.shades[4])
        #expect(MapClasses([0, 0, 0]).upperBounds == [0] && MapClasses([3, 3, 3]).ranges == ["0–3"])
    }
}
