import Foundation

/// A calendar date with no time or zone: adoption dates, due dates, activity dates.
/// Stored and sent as `YYYY-MM-DD`, so it sorts as text and reads the same in every database.
public struct Day: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// The years a day may fall in: before 1900 is a typing slip in this domain, after 9999 has no `YYYY`.
    public static let years = 1900...9999
    public static let first = Day(year: years.lowerBound, month: 1, day: 1)!
    public static let last = Day(year: years.upperBound, month: 12, day: 31)!

    public init?(year: Int, month: Int, day: Int) {
        guard Day.years.contains(year), (1...12).contains(month),
            (1...Day.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`; anything else (or 2026-02-30) is nil.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public init(_ date: Date) {
        let c = Day.calendar.dateComponents([.year, .month, .day], from: date)
        self.init(year: c.year!, month: c.month!, day: c.day!)!
    }

    /// The day a count of days since 1970-01-01 falls on, when it is within `Day.years`.
    public init?(daysSince1970: Int) {
        let date = CivilTime.date(days: daysSince1970)
        self.init(year: date.year, month: date.month, day: date.day)
    }

    /// Days since 1970-01-01 (negative before).
    public var daysSince1970: Int { CivilTime.days(year: year, month: month, day: day) }

    public var description: String {
        String(unsafeUninitializedCapacity: 10) { text in
            var at = 0
            CivilTime.write(year, width: 4, then: 45, into: text, at: &at)
            CivilTime.write(month, width: 2, then: 45, into: text, at: &at)
            CivilTime.write(day, width: 2, into: text, at: &at)
            return at
        }
    }

    public var date: Date {
        Day.calendar.date(from: DateComponents(year: year, month: month, day: day))!
    }

    /// Calendar arithmetic that stops at `Day.first` and `Day.last` instead of leaving the representable years,
    /// so a day someone typed at the edge (9999-12-31 plus one) cannot stop the server.
    public func adding(days: Int = 0, months: Int = 0, years: Int = 0) -> Day {
        let change = DateComponents(year: years, month: months, day: days)
        guard let moved = Day.calendar.date(byAdding: change, to: date) else {
            return days + months + years < 0 ? .first : .last
        }
        let parts = Day.calendar.dateComponents([.year, .month, .day], from: moved)
        guard let year = parts.year, let month = parts.month, let day = parts.day else { return .last }
        if year < Day.years.lowerBound { return .first }
        if year > Day.years.upperBound { return .last }
        return Day(year: year, month: month, day: day) ?? .last
    }

    public func days(until other: Day) -> Int {
        Day.calendar.dateComponents([.day], from: date, to: other.date).day!
    }

    public static func < (a: Day, b: Day) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let day = Day(text) else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath, debugDescription: "expected a date as YYYY-MM-DD, got \"\(text)\""))
        }
        self = day
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
