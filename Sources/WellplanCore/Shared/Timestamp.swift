import Foundation

/// An instant, kept to the millisecond and written as ISO 8601 UTC text
/// (`2026-11-21T23:05:38.123Z`): it sorts as text, and a backup restores to the same bytes on
/// SQLite and PostgreSQL alike, which a floating-point `Date` column does not promise.
public struct Timestamp: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let millisecondsSince1970: Int64

    public init(_ date: Date) {
        millisecondsSince1970 = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    public init(millisecondsSince1970: Int64) { self.millisecondsSince1970 = millisecondsSince1970 }

    public init?(_ text: String) {
        guard let date = Timestamp.formatter.date(from: text) else { return nil }
        self.init(date)
    }

    public var date: Date { Date(timeIntervalSince1970: Double(millisecondsSince1970) / 1000) }
    public var day: Day { Day(date) }
    public var description: String { Timestamp.formatter.string(from: date) }

    public func adding(seconds: Double) -> Timestamp { Timestamp(date.addingTimeInterval(seconds)) }
    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.millisecondsSince1970 < b.millisecondsSince1970 }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Timestamp(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "expected an ISO 8601 time, got \"\(text)\""))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    nonisolated(unsafe) private static let formatter: ISO8601DateFormatter = {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        f.timeZone = TimeZone(identifier: "UTC")
        return f
    }()
}
