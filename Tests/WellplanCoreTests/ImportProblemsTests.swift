import Foundation
import Testing

@testable import WellplanCore

/// Every importer reads its input through `ImportProblems`: a bad item is named by where it is, every bad
/// item is named up to the limit, and nothing is taken from an input with one.
@Suite struct ImportProblemsTests {
    /// A GeoJSON collection of `count` features, every third one broken in another way.
    static func features(_ count: Int) -> Data {
        let square = "[[[-79.4,43.6],[-79.3,43.6],[-79.3,43.7],[-79.4,43.6]]]"
        let features = (1...count).map { n in
            switch n % 3 {
            case 0: #"{"type":"Feature","properties":{"id":"A\#(n)"},"geometry":{"type":"Point","coordinates":[0,0]}}"#
            case 1: #"{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":\#(square)}}"#
            default:
                #"{"type":"Feature","properties":{"id":"A\#(n)"},"geometry":{"type":"Polygon","coordinates":\#(square)}}"#
            }
        }
        return Data(#"{"type":"FeatureCollection","features":[\#(features.joined(separator: ","))]}"#.utf8)
    }

    @Test func aGeoJSONFileNamesEachBadFeatureAndItsField() throws {
        #expect(
            throws: WellplanError.invalid([
                FieldProblem("feature 1: id", "error_geojson_missing_property", ["id"]),
                FieldProblem("feature 3: geometry", "error_geojson_type", ["Point"]),
            ])
        ) {
            try GeoJSONLayer(data: Self.features(3), idProperty: "id", nameProperty: nil)
        }
    }

    /// The problems an import refused its input with, or nil when it took the input.
    static func problems(_ body: () throws -> Void) -> [FieldProblem]? {
        do {
            try body()
            return nil
        } catch {
            guard let error = error as? WellplanError, case .invalid(let found) = error else { return [] }
            return found
        }
    }

    @Test func everyImporterStopsNamingAtTheLimitAndTakesNothing() throws {
        let limit = ImportPipeline.problemLimit
        let features = Self.problems {
            _ = try GeoJSONLayer(data: Self.features(400), idProperty: "id", nameProperty: nil)
        }
        #expect(features?.count == limit)
        let ragged = "id,q1\n" + (1...300).map { "\($0),a,b" }.joined(separator: "\n")
        #expect(Self.problems { _ = try SurveyExport(data: Data(ragged.utf8)) }?.count == limit)
        let few = "id,q1\n1,a\n2,a,b\n3,a\n4,a,b,c\n"
        #expect(Self.problems { _ = try SurveyExport(data: Data(few.utf8)) }?.map(\.field) == ["line 3", "line 5"])
    }
}

/// No CSV reader lets an invisible control character through to a record: every one of them (C0 but tab and
/// line breaks, DEL, C1), in the header, a plain field or a quoted one, is refused with its line, by the
/// whole-file reader and by the one that streams a file piece by piece. PostgreSQL cannot store a NUL, and
/// on it such a file failed with the driver's error.
@Suite struct ControlCharacterTests {
    static let controls: [Unicode.Scalar] =
        (0x00..<0x20).filter { ![0x09, 0x0A, 0x0D].contains($0) }.compactMap(Unicode.Scalar.init)
        + [Unicode.Scalar(0x7F)!] + (0x80..<0xA0).compactMap(Unicode.Scalar.init)

    struct Lines: RowImporter {
        var requiredColumns: [String] { ["name"] }
        mutating func item(_ row: ImportRow) throws(WellplanError) -> String { row["name"] }
    }

    /// The problems each reader finds in `text`, or nil where it takes the file.
    static func problems(_ text: String) async throws -> (whole: [FieldProblem]?, streamed: [FieldProblem]?) {
        let whole = ImportProblemsTests.problems {
            var lines = Lines()
            _ = try ImportPipeline.items(CSVDocument(data: Data(text.utf8)), &lines)
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString).csv")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        var streamed: [FieldProblem]?
        do {
            var lines = Lines()
            try await ImportPipeline.stream(url, &lines) { _ in }
        } catch {
            guard let error = error as? WellplanError, case .invalid(let found) = error else { throw error }
            streamed = found
        }
        return (whole, streamed)
    }

    @Test(arguments: controls) func everyControlCharacterIsRefusedWithItsLine(_ control: Unicode.Scalar) async throws {
        let c = String(control)
        let cases = [
            ("name,note\nAda,fine\nBo\(c)b,fine\n", "line 3"),
            ("name,note\nAda,\"quoted \(c) text\"\n", "line 2"),
            ("name,no\(c)te\nAda,fine\n", "line 1"),
        ]
        for (text, line) in cases {
            let (whole, streamed) = try await Self.problems(text)
            let expected = [FieldProblem(line, "error_control_characters")]
            #expect(whole == expected, "whole file, U+\(String(control.value, radix: 16))")
            #expect(streamed == expected, "streamed, U+\(String(control.value, radix: 16))")
        }
    }

    @Test func tabsLineBreaksAndOtherTextPass() async throws {
        let text = "name,note\nAda\tB,\"two\r\nlines\"\nÉlodie 😀 \u{A0}\u{A0}x,\u{2028}\n"
        let (whole, streamed) = try await Self.problems(text)
        #expect(whole == nil)
        #expect(streamed == nil)
    }
}
