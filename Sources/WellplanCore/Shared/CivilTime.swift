/// Dates and times of day by arithmetic on the proleptic Gregorian calendar, with no `Calendar` or
/// formatter: an import of a million incidents converts a few million of them, and Foundation's
/// calendar, formatters and `String(format:)` were most of a row's cost. The day count algorithms are
/// Howard Hinnant's `days_from_civil` and `civil_from_days` (http://howardhinnant.github.io/date_algorithms.html).
enum CivilTime {
    static let secondsPerDay: Int64 = 86_400

    /// Days since 1970-01-01 (negative before).
    static func days(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let monthFromMarch = (month + 9) % 12
        let dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date a day count falls on.
    static func date(days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Floor division, so that an instant before 1970 falls on the day before, not after.
    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return quotient * divisor > value ? quotient - 1 : quotient
    }

    /// Writes `value` (not negative, at most `width` digits) zero-padded to `width` into `text` from `at`, then
    /// `separator`, and moves `at` past them. Days and times are written so straight into a string's storage:
    /// an array for each number's digits was most of writing one, and a figure import writes a million.
    static func write(
        _ value: Int, width: Int, then separator: UInt8? = nil, into text: UnsafeMutableBufferPointer<UInt8>,
        at: inout Int
    ) {
        var rest = value
        for offset in (at..<(at + width)).reversed() {
            text[offset] = UInt8(48 + rest % 10)
            rest /= 10
        }
        at += width
        if let separator {
            text[at] = separator
            at += 1
        }
    }

    /// The whole number written in `bytes[range]`, or nil when any of them is not a digit.
    static func number(_ bytes: [UInt8], _ range: Range<Int>) -> Int? {
        guard range.upperBound <= bytes.count else { return nil }
        var value = 0
        for offset in range {
            let byte = bytes[offset]
            guard (48...57).contains(byte) else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        return value
    }
}
