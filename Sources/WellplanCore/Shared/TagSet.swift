import Foundation

/// A small set of codes (planning areas, risk factors, advisory seats) held by one record.
/// In JSON it is an array; in the database one comma-separated column, so both drivers agree.
public struct TagSet: Hashable, Sendable, Codable, ExpressibleByArrayLiteral {
    public private(set) var codes: [String]

    public init(_ codes: some Sequence<String>) {
        var seen = Set<String>()
        self.codes = codes.map { $0.trimmed() }.filter {
            !$0.isEmpty && seen.insert($0).inserted
        }
    }

    public init(arrayLiteral elements: String...) { self.init(elements) }

    public init(joined: String) { self.init(joined.split(separator: ",").map(String.init)) }

    public var joined: String { codes.joined(separator: ",") }
    public var isEmpty: Bool { codes.isEmpty }
    public func contains(_ code: String) -> Bool { codes.contains(code) }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let list = try? c.decode([String].self) {
            self.init(list)
        } else {
            self.init(joined: try c.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(codes)
    }
}
