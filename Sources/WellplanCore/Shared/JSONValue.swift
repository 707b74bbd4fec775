import Foundation

/// Any JSON value. The one way JSON becomes plain values here: `JSONSerialization` on Linux
/// reads `1` as `true`, `JSONDecoder` keeps numbers and booleans apart.
public enum JSONValue: Codable, Sendable, Equatable {
    case string(String), number(Double), bool(Bool), null, array([JSONValue]), object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let n = try? c.decode(Double.self) {
            self = .number(n)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        case .number(let n): try c.encode(n)
        case .bool(let b): try c.encode(b)
        case .null: try c.encodeNil()
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }
}

/// Literals, so a JSON body reads as JSON where it is written out (tests, fixed documents).
extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(nilLiteral: ()) { self = .null }
}

/// Building a document a member at a time (the OpenAPI description).
extension JSONValue {
    /// An object's member; setting one on anything but an object makes it an object.
    public subscript(key: String) -> JSONValue? {
        get { if case .object(let members) = self { members[key] } else { nil } }
        set {
            var members: [String: JSONValue] = if case .object(let m) = self { m } else { [:] }
            members[key] = newValue
            self = .object(members)
        }
    }

    /// An object with `other`'s members added; `keep` chooses between two members of one name.
    public func merging(_ other: JSONValue, _ keep: (JSONValue, JSONValue) -> JSONValue) -> JSONValue {
        guard case .object(let mine) = self, case .object(let theirs) = other else { return self }
        return .object(mine.merging(theirs, uniquingKeysWith: keep))
    }

    /// An object without the member `key`.
    public func removing(_ key: String) -> JSONValue {
        var copy = self
        copy[key] = nil
        return copy
    }

    /// Texts as an array of strings.
    public init(_ texts: [String]) { self = .array(texts.map(JSONValue.string)) }

    public init(_ number: Int) { self = .number(Double(number)) }
}
