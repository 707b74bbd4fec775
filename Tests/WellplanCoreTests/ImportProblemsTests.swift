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
