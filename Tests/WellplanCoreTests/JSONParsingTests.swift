import Foundation
import Testing

@testable import WellplanCore

/// `JSONValue(parsing:)` reads what `JSONDecoder` reads, to the same values, and refuses what it refuses.
@Suite struct JSONParsingTests {
    /// A value of every kind, nested, with texts that need escapes and numbers of every form.
    static func random(_ rng: inout some RandomNumberGenerator, depth: Int = 0) -> JSONValue {
        let texts = ["", "a", "é", "\"quoted\"", "back\\slash", "line\nbreak", "\u{1}\u{1F}", "😀", "日本", "\u{FEFF}x"]
        switch Int.random(in: 0..<(depth > 3 ? 4 : 6), using: &rng) {
        case 0: return .string(texts.randomElement(using: &rng)!)
        case 1:
            let numbers = [0, -0.0, 1, -1, 0.1, 1e-7, 6.02e23, -79.38, 43.651_07, Double(Int32.max), 1e300]
            return .number(numbers.randomElement(using: &rng)!)
        case 2: return .bool(Bool.random(using: &rng))
        case 3: return .null
        case 4: return .array((0..<Int.random(in: 0..<4, using: &rng)).map { _ in random(&rng, depth: depth + 1) })
        default:
            let count = Int.random(in: 0..<4, using: &rng)
            var members: [String: JSONValue] = [:]
            for _ in 0..<count { members[texts.randomElement(using: &rng)!] = random(&rng, depth: depth + 1) }
            return .object(members)
        }
    }

    @Test func everyValueReadsBackAsWritten() throws {
        var rng = SystemRandomNumberGenerator()
        let encoder = JSONEncoder()
        for _ in 0..<2_000 {
            let value = Self.random(&rng)
            let text = try encoder.encode(value)
            #expect(try JSONValue(parsing: text) == value)
            #expect(try JSONValue(parsing: text) == JSONDecoder().decode(JSONValue.self, from: text))
        }
    }

    @Test func textWrittenByHandReadsAsJSONDecoderReadsIt() throws {
        let texts = [
            "1", "-0", "1.5e3", "2E-2", "\"a\\u00e9\\ud83d\\ude00\\n\\/\\b\\f\\r\\t\"", "[]", "{}",
            " \t\r\n[ 1 , 2 ]\n",
            "{\"a\": [1, {\"b\": null}], \"c\": true}", "{\"a\": 1, \"a\": 2}", "\u{FEFF}{\"x\": \"y\"}",
            "{\"type\":\"Polygon\",\"coordinates\":[[[-79.4,43.6],[-79.3,43.6],[-79.3,43.7],[-79.4,43.6]]]}",
        ]
        for text in texts {
            let data = Data(text.utf8)
            #expect(try JSONValue(parsing: data) == JSONDecoder().decode(JSONValue.self, from: data), "\(text)")
        }
    }

    /// Every way a text can fail to be JSON, and text `JSONDecoder` would take that RFC 8259 does not (a comma
    /// before a closing bracket).
    @Test func whatIsNotJSONIsRefusedWithWhere() {
        let texts = [
            "", " ", "01", "-", "1.", ".5", "1e", "1e+", "+1", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a: 1}", "[1 2]",
            "\"\u{1}\"", "\"open", "1e999", "\"\\ud800\"", "\"\\udc00\"", "\"\\x\"", "\"\\u12\"", "[1] x", "tru",
            "nul", "[", "{", "{\"a\":", "NaN", "Infinity",
        ]
        for text in texts {
            #expect(throws: DecodingError.self, "\(text)") { try JSONValue(parsing: Data(text.utf8)) }
        }
        #expect(throws: DecodingError.self) { try JSONValue(parsing: [0x22, 0xFF, 0xFE, 0x22]) }
    }

    /// Nesting deeper than `JSONDecoder` goes is refused, not followed until the stack runs out.
    @Test func nestingIsRefusedBeforeTheStackRunsOut() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: DecodingError.self) { try JSONValue(parsing: Data(deep.utf8)) }
        let allowed = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(try JSONValue(parsing: Data(allowed.utf8)) != .null)
    }

    /// A real layer of boundaries reads to the values `JSONDecoder` gives.
    @Test func torontosNeighbourhoodsReadAsJSONDecoderReadsThem() throws {
        let file = CSVStreamTests.data.appendingPathComponent(
            "boundaries/toronto_140_Neighbourhood_Crime_Rates_Boundary_File_clean.json")
        let data = try Data(contentsOf: file)
        #expect(try JSONValue(parsing: data) == JSONDecoder().decode(JSONValue.self, from: data))
    }
}
