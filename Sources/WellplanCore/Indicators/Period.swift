import Foundation

/// The time an observation or a target covers: a year ("2024"), a quarter ("2024-Q1"), a month ("2024-03"),
/// or any run of days ("2024-04-01/2025-03-31", a fiscal year). Periods sort by when they start, then end.
public struct Period: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public enum Frequency: String, Sendable, Codable, CaseIterable {
        case year, quarter, month, custom
    }

    public let frequency: Frequency
    /// The first day covered.
    public let start: Day
    /// The day after the last one covered.
    public let end: Day

    /// The years a period may start in: those of `Day`, less the last, so that its end is a day too.
    public static let years = Day.years.lowerBound...(Day.years.upperBound - 1)

    public static func year(_ y: Int) -> Period {
        Period(.year, Day(year: y, month: 1, day: 1)!, Day(year: y + 1, month: 1, day: 1)!)
    }

    /// `q` from 1 to 4.
    public static func quarter(_ y: Int, _ q: Int) -> Period {
        let start = Day(year: y, month: 3 * (q - 1) + 1, day: 1)!
        return Period(.quarter, start, start.adding(months: 3))
    }

    /// The quarter `day` falls in.
    public static func quarter(containing day: Day) -> Period { quarter(day.year, (day.month - 1) / 3 + 1) }

    /// `m` from 1 to 12.
    public static func month(_ y: Int, _ m: Int) -> Period {
        let start = Day(year: y, month: m, day: 1)!
        return Period(.month, start, start.adding(months: 1))
    }

    init(_ frequency: Frequency, _ start: Day, _ end: Day) {
        self.frequency = frequency
        self.start = start
        self.end = end
    }

    /// Reads the forms people write in spreadsheets: "2024", "2024-Q1", "2024Q1", "Q1 2024", "2024-03",
    /// "2024/03", "2024-04-01/2025-03-31" (both days included). Nil for anything else.
    public init?(_ text: String) {
        // The canonical forms, which every stored figure has, read by hand: building the regular
        // expressions below was two thirds of reading a measure's series.
        if let period = Period(canonical: text) {
            self = period
            return
        }
        let t = text.trimmingCharacters(in: .whitespaces).uppercased()
        func year(_ s: Substring) -> Int? {
            s.count == 4 ? Int(s).flatMap { Period.years.contains($0) ? $0 : nil } : nil
        }
        if let y = year(t[...]) {
            self = .year(y)
        } else if let m = t.wholeMatch(of: /(\d{4})\s*-?\s*Q([1-4])/), let y = year(m.1), let q = Int(m.2) {
            self = .quarter(y, q)
        } else if let m = t.wholeMatch(of: /Q([1-4])\s*-?\s*(\d{4})/), let y = year(m.2), let q = Int(m.1) {
            self = .quarter(y, q)
        } else if let m = t.wholeMatch(of: /(\d{4})[-\/](\d{1,2})/), let y = year(m.1), let mo = Int(m.2),
            (1...12).contains(mo)
        {
            self = .month(y, mo)
        } else if let m = t.wholeMatch(of: /(\d{4}-\d{2}-\d{2})\s*\/\s*(\d{4}-\d{2}-\d{2})/),
            let from = Day(String(m.1)), let to = Day(String(m.2)),
            from <= to, to < Day.last
        {
            self.init(.custom, from, to.adding(days: 1))
        } else {
            return nil
        }
    }

    /// Reads `description`'s forms only: "2024", "2024-Q1", "2024-03", "2024-04-01/2025-03-31".
    private init?(canonical text: String) {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            var n = 0
            for i in range {
                guard bytes[i] >= 48, bytes[i] <= 57 else { return nil }
                n = n * 10 + Int(bytes[i] - 48)
            }
            return n
        }
        switch bytes.count {
        case 4:
            guard let y = number(0..<4), Period.years.contains(y) else { return nil }
            self = .year(y)
        case 7 where bytes[4] == UInt8(ascii: "-"):
            guard let y = number(0..<4), Period.years.contains(y) else { return nil }
            if bytes[5] == UInt8(ascii: "Q"), let q = number(6..<7), (1...4).contains(q) {
                self = .quarter(y, q)
            } else if let m = number(5..<7), (1...12).contains(m) {
                self = .month(y, m)
            } else {
                return nil
            }
        case 21 where bytes[10] == UInt8(ascii: "/"):
            let parts = text.split(separator: "/")
            guard parts.count == 2, let from = Day(String(parts[0])), let to = Day(String(parts[1])), from <= to,
                to < Day.last
            else { return nil }
            self.init(.custom, from, to.adding(days: 1))
        default:
            return nil
        }
    }

    /// The canonical text, which `init?(_:)` reads back.
    public var description: String {
        switch frequency {
        case .year: String(start.year)
        case .quarter: "\(start.year)-Q\((start.month - 1) / 3 + 1)"
        case .month: String(format: "%04d-%02d", start.year, start.month)
        case .custom: "\(start)/\(end.adding(days: -1))"
        }
    }

    /// As a reader sees it: "2024", "2024 Q1" / "2024 T1", "March 2024" / "mars 2024".
    public func label(_ language: Language) -> String {
        switch frequency {
        case .year: return description
        case .quarter: return "\(start.year) \(language == .fr ? "T" : "Q")\((start.month - 1) / 3 + 1)"
        case .month:
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: language == .fr ? "fr_CA" : "en_CA")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "LLLL yyyy"
            return formatter.string(from: start.date)
        case .custom: return "\(start) – \(end.adding(days: -1))"
        }
    }

    public static func < (a: Period, b: Period) -> Bool { (a.start, a.end) < (b.start, b.end) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let period = Period(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "expected a period, got \"\(text)\""))
        }
        self = period
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
