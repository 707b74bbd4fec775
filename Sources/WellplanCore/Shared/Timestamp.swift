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

    /// Reads ISO 8601 text. The form Wellplan writes (`2026-11-21T23:05:38.123Z`) is read by arithmetic,
    /// since every stored time is read this way; any other form by the formatter.
    public init?(_ text: String) {
        if let milliseconds = Timestamp.canonical(Array(text.utf8)) {
            self.init(millisecondsSince1970: milliseconds)
            return
        }
        guard let date = Timestamp.formatter.date(from: text) else { return nil }
        self.init(date)
    }

    public var date: Date { Date(timeIntervalSince1970: Double(millisecondsSince1970) / 1000) }

    /// The day in UTC.
    public var day: Day {
        let days = CivilTime.floorDivide(millisecondsSince1970, CivilTime.secondsPerDay * 1000)
        return Day(daysSince1970: Int(days)) ?? Day(date)
    }

    public var description: String {
        let perDay = CivilTime.secondsPerDay * 1000
        let days = CivilTime.floorDivide(millisecondsSince1970, perDay)
        let date = CivilTime.date(days: Int(days))
        // Before 1900 the formatter's calendar is not always the proleptic Gregorian one; it answers there.
        guard Day.years.contains(date.year) else { return Timestamp.formatter.string(from: self.date) }
        let milliseconds = Int(millisecondsSince1970 - days * perDay)
        return String(unsafeUninitializedCapacity: 24) { text in
            var at = 0
            CivilTime.write(date.year, width: 4, then: 45, into: text, at: &at)
            CivilTime.write(date.month, width: 2, then: 45, into: text, at: &at)
            CivilTime.write(date.day, width: 2, then: 84, into: text, at: &at)
            CivilTime.write(milliseconds / 3_600_000, width: 2, then: 58, into: text, at: &at)
            CivilTime.write(milliseconds / 60_000 % 60, width: 2, then: 58, into: text, at: &at)
            CivilTime.write(milliseconds / 1000 % 60, width: 2, then: 46, into: text, at: &at)
            CivilTime.write(milliseconds % 1000, width: 3, then: 90, into: text, at: &at)
            return at
        }
    }

    /// Milliseconds since 1970 of exactly `YYYY-MM-DDTHH:MM:SS.mmmZ`, or nil for any other text.
    private static func canonical(_ bytes: [UInt8]) -> Int64? {
        guard bytes.count == 24, bytes[4] == 45, bytes[7] == 45, bytes[10] == 84, bytes[13] == 58,
            bytes[16] == 58, bytes[19] == 46, bytes[23] == 90,
            let year = CivilTime.number(bytes, 0..<4), let month = CivilTime.number(bytes, 5..<7),
            let day = CivilTime.number(bytes, 8..<10), let hour = CivilTime.number(bytes, 11..<13),
            let minute = CivilTime.number(bytes, 14..<16), let second = CivilTime.number(bytes, 17..<19),
            let milliseconds = CivilTime.number(bytes, 20..<23),
            Day.years.contains(year), (1...12).contains(month),
            (1...Day.daysIn(month: month, year: year)).contains(day),
            hour < 24, minute < 60, second < 60
        else { return nil }
        let days = Int64(CivilTime.days(year: year, month: month, day: day))
        let seconds = days * CivilTime.secondsPerDay + Int64(hour * 3600 + minute * 60 + second)
        return seconds * 1000 + Int64(milliseconds)
    }

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
