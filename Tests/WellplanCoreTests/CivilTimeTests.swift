import Foundation
import Testing

@testable import WellplanCore

/// Dates and times by arithmetic agree with Foundation's calendar and ISO 8601 formatter, which they
/// replace on the import and read paths.
@Suite struct CivilTimeTests {
    static let utc = TimeZone(identifier: "UTC")!

    @Test func everyDayFrom1900To2100CountsAsTheCalendarCountsIt() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Self.utc
        let epoch = calendar.date(from: DateComponents(year: 1970, month: 1, day: 1))!
        var date = calendar.date(from: DateComponents(year: 1900, month: 1, day: 1))!
        var mismatches: [String] = []
        while calendar.component(.year, from: date) <= 2100 {
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            let day = Day(year: parts.year!, month: parts.month!, day: parts.day!)!
            let count = calendar.dateComponents([.day], from: epoch, to: date).day!
            if day.daysSince1970 != count || Day(daysSince1970: count) != day || Day(date) != day {
                mismatches.append(day.description)
            }
            #expect(day.description.count == 10)
            date = calendar.date(byAdding: .day, value: 1, to: date)!
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
        #expect(Day(year: 1900, month: 3, day: 1)!.description == "1900-03-01")
        #expect(Day(year: 2024, month: 2, day: 29)!.description == "2024-02-29")
    }

    @Test func timestampsWriteAndReadAsTheISOFormatterDoes() throws {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = Self.utc
        var generator = SystemRandomNumberGenerator()
        // From 1900 to 2200, before and after 1970, on and off whole seconds, and the edges of days.
        var instants: [Int64] = [0, -1, 1, -86_400_000, 86_399_999, 951_782_400_000, 4_102_444_799_999]
        for _ in 0..<20_000 {
            instants.append(Int64.random(in: -2_208_988_800_000..<7_258_118_400_000, using: &generator))
        }
        for milliseconds in instants {
            let time = Timestamp(millisecondsSince1970: milliseconds)
            let expected = formatter.string(from: time.date)
            #expect(time.description == expected, "\(milliseconds)")
            #expect(Timestamp(expected) == time, "\(expected)")
            #expect(time.day == Day(time.date), "\(expected)")
        }
        // Any other text reads as the formatter reads it.
        for text in [
            "2026-02-30T00:00:00.000Z", "2026-11-21T24:00:00.000Z", "2026-11-21 23:05:38.123Z", "x",
            "2026-11-21T23:05:38Z", "2026-11-21T23:05:60.000Z", "0000-01-01T00:00:00.000Z",
        ] {
            #expect(Timestamp(text) == formatter.date(from: text).map(Timestamp.init), "\(text)")
        }
    }
}
