import Crypto
import Foundation

/// Which columns of a police or calls-for-service export say what, chosen at import: when, what, which
/// event, and where (longitude/latitude, projected NAD83 UTM x/y, or an area's code).
public struct IncidentColumns: Sendable, Codable, Equatable {
    public enum Location: Sendable, Codable, Equatable {
        case longitudeLatitude(longitude: String, latitude: String)
        case utm(x: String, y: String, zone: Int)
        /// The code of an area in one layer, for files that give only the neighbourhood.
        case area(column: String)
    }

    public var occurredAt: String
    public var category: String
    public var eventId: String
    public var location: Location
    /// A column naming the area the source itself assigned, kept to compare with Wellplan's assignment.
    public var reportedArea: String?

    public init(occurredAt: String, category: String, eventId: String, location: Location, reportedArea: String? = nil)
    {
        self.occurredAt = occurredAt
        self.category = category
        self.eventId = eventId
        self.location = location
        self.reportedArea = reportedArea
    }

    var required: [String] {
        var columns = [occurredAt, category, eventId]
        switch location {
        case .longitudeLatitude(let lon, let lat): columns += [lon, lat]
        case .utm(let x, let y, _): columns += [x, y]
        case .area(let column): columns.append(column)
        }
        return columns + (reportedArea.map { [$0] } ?? [])
    }
}

/// One incident row: an offence of an event. A row with no usable position is kept as unlocated.
public struct Incident: Sendable, Equatable {
    public let line: Int
    public let eventId: String
    public let category: String
    public let occurredAt: Timestamp
    public let occurredOn: Day
    public let position: Position?
    public let areaCode: String?
    public let reportedArea: String?

    /// The same row always has the same key, so importing a file again adds nothing; `repeat` tells apart
    /// identical rows within one file (two offences of one kind in one event).
    public func key(repeat n: Int) -> String { Self.key(digest: digest, repeat: n) }

    /// What the row says, digested: the same for the same row in any file.
    public var digest: [UInt8] {
        let place = position.map { "\($0.longitude),\($0.latitude)" } ?? ""
        let parts = [eventId, category, occurredAt.description, place, areaCode ?? ""]
        let text = parts.joined(separator: "\u{1F}")
        return Array(SHA256.hash(data: Data(text.utf8)).prefix(16))
    }

    /// The key of the `n`th row (from 0) of a file with this digest.
    public static func key(digest: [UInt8], repeat n: Int) -> String {
        let text = digest.hexadecimal
        return n == 0 ? text : "\(text)#\(n)"
    }
}

/// The codes of a layer's areas, as an incident file names them: exactly, or as the same whole number
/// ("023" in a police file is area "23" of the layer).
public struct AreaCodes: Sendable {
    private let exact: Set<String>
    private let numbers: [Int: String]

    public init(_ codes: some Sequence<String>) {
        exact = Set(codes)
        numbers = Dictionary(exact.compactMap { code in Int(code).map { ($0, code) } }) { first, _ in first }
    }

    /// The layer's code for the code given, or nil when the layer has no such area.
    public func match(_ code: String) -> String? {
        if exact.contains(code) { return code }
        return Int(code).flatMap { numbers[$0] }
    }
}

/// Reads incident rows through the import pipeline. A row that cannot be placed (no coordinates, 0 and 0,
/// or an area code the layer does not have) is refused with its line, unless the import keeps such rows:
/// then it is kept without a place, counted in totals and in no area, and the import lists its line.
public struct IncidentReader: RowImporter {
    public let columns: IncidentColumns
    let zone: UTMZone?
    let timeZone: TimeZone
    /// The zone's offsets as this file's times need them.
    private var offsets: ZoneOffsets
    let areaCodes: AreaCodes?
    let keepsUnplaced: Bool

    public init(
        _ columns: IncidentColumns, areaCodes: AreaCodes? = nil, keepsUnplaced: Bool = false,
        timeZone: TimeZone = TimeZone(identifier: "America/Toronto")!
    ) throws(WellplanError) {
        self.columns = columns
        self.timeZone = timeZone
        self.offsets = ZoneOffsets(timeZone)
        self.areaCodes = areaCodes
        self.keepsUnplaced = keepsUnplaced
        if case .utm(_, _, let zone) = columns.location {
            guard let z = UTMZone(zone) else {
                throw .invalid([FieldProblem("zone", "error_out_of_range", ["1", "60"])])
            }
            self.zone = z
        } else {
            self.zone = nil
        }
    }

    public var requiredColumns: [String] { columns.required }

    public mutating func item(_ row: ImportRow) throws(WellplanError) -> Incident {
        var problems: [FieldProblem] = []
        let when = row[columns.occurredAt]
        let occurred = Self.time(when, &offsets)
        if occurred == nil { problems.append(FieldProblem(columns.occurredAt, "error_not_time_stamp", [when])) }
        let category = row[columns.category], event = row[columns.eventId]
        if category.isEmpty { problems.append(FieldProblem(columns.category, "error_required")) }
        if event.isEmpty { problems.append(FieldProblem(columns.eventId, "error_required")) }
        var position: Position?
        var areaCode: String?
        switch columns.location {
        case .longitudeLatitude(let lonColumn, let latColumn):
            let (lonText, latText) = (row[lonColumn], row[latColumn])
            if !lonText.isEmpty || !latText.isEmpty {
                guard let lon = Double(lonText), let lat = Double(latText), lon.isFinite, lat.isFinite else {
                    throw .invalid(
                        problems + [
                            FieldProblem(
                                lonText.isEmpty || Double(lonText) != nil ? latColumn : lonColumn, "error_not_number")
                        ])
                }
                let p = Position(longitude: lon, latitude: lat)
                if p.isValid {
                    position = p
                } else if lon != 0 || lat != 0 {
                    problems.append(FieldProblem(lonColumn, "error_not_coordinates", [lonText, latText]))
                }
            }
            if position == nil, !keepsUnplaced, problems.isEmpty {
                problems.append(FieldProblem(lonColumn, "error_incident_no_place", [lonText, latText]))
            }
        case .utm(let xColumn, let yColumn, _):
            let (xText, yText) = (row[xColumn], row[yColumn])
            if !xText.isEmpty || !yText.isEmpty {
                guard let x = Double(xText), let y = Double(yText), x.isFinite, y.isFinite else {
                    throw .invalid(
                        problems + [FieldProblem(Double(xText) == nil ? xColumn : yColumn, "error_not_number")])
                }
                if x != 0 || y != 0 {
                    guard (100_000...900_000).contains(x), (0...9_400_000).contains(y) else {
                        throw .invalid(problems + [FieldProblem(xColumn, "error_not_coordinates", [xText, yText])])
                    }
                    position = zone!.position(easting: x, northing: y)
                }
            }
            if position == nil, !keepsUnplaced {
                problems.append(FieldProblem(xColumn, "error_incident_no_place", [xText, yText]))
            }
        case .area(let column):
            let code = row[column]
            areaCode = code.isEmpty ? nil : code
            if !keepsUnplaced, code.isEmpty || areaCodes.map({ $0.match(code) == nil }) == true {
                problems.append(FieldProblem(column, "error_incident_unknown_area", [code]))
            }
        }
        if !problems.isEmpty { throw .invalid(problems) }
        return Incident(
            line: row.line, eventId: event, category: category, occurredAt: occurred!.0, occurredOn: occurred!.1,
            position: position, areaCode: areaCode,
            reportedArea: columns.reportedArea.map { row[$0] }.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// "2018-01-01T11:55:00.000Z" or with an offset (an instant), "2018-01-01 11:55[:00]" or "2018-01-01"
    /// (local time where the incident happened). Gives the instant and the local day it fell on.
    static func time(_ text: String, _ offsets: inout ZoneOffsets) -> (Timestamp, Day)? {
        let u = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? { CivilTime.number(u, range) }
        guard u.count >= 10, u[4] == 45, u[7] == 45, let year = number(0..<4), let month = number(5..<7),
            let day = number(8..<10),
            (1...12).contains(month), (1...Day.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        var (hour, minute, second) = (0, 0, 0)
        var offset: Int?  // seconds east of UTC, when the text gives one
        var i = 10
        if u.count > 10 {
            guard u[10] == 84 || u[10] == 32, let h = number(11..<13), u.count > 13, u[13] == 58,
                let m = number(14..<16), h < 24, m < 60
            else { return nil }
            hour = h
            minute = m
            i = 16
            if u.count > 16 && u[16] == 58 {
                guard let s = number(17..<19), s < 61 else { return nil }
                second = s
                i = 19
            }
            if i < u.count && u[i] == 46 {  // fractions of a second, dropped
                i += 1
                while i < u.count && (48...57).contains(u[i]) { i += 1 }
            }
            if i < u.count {
                if u[i] == 90 && i == u.count - 1 {
                    offset = 0
                } else if u[i] == 43 || u[i] == 45, let oh = number(i + 1..<i + 3) {
                    var j = i + 3
                    if j < u.count && u[j] == 58 { j += 1 }
                    guard let om = number(j..<j + 2), j + 2 == u.count else { return nil }
                    offset = (u[i] == 43 ? 1 : -1) * (oh * 3600 + om * 60)
                } else {
                    return nil
                }
            }
        }
        let days = Int64(CivilTime.days(year: year, month: month, day: day))
        let written = days * CivilTime.secondsPerDay + Int64(hour * 3600 + minute * 60 + second)
        let instant: Int64
        if let offset {
            instant = written - Int64(offset)
        } else {
            guard let local = offsets.instant(local: written) else { return nil }
            instant = local
        }
        let localSeconds = instant + Int64(offsets.offset(at: instant))
        let localDays = CivilTime.floorDivide(localSeconds, CivilTime.secondsPerDay)
        guard let localDay = Day(daysSince1970: Int(localDays)) else { return nil }
        return (Timestamp(millisecondsSince1970: instant * 1000), localDay)
    }

    /// The same, for one time in a zone.
    static func time(_ text: String, _ zone: TimeZone) -> (Timestamp, Day)? {
        var offsets = ZoneOffsets(zone)
        return time(text, &offsets)
    }
}

/// A time zone's offsets from UTC, asked of Foundation once per quarter hour and remembered: a million
/// incidents fall in a few tens of thousands of quarter hours, and every zone changes its offset on a
/// quarter hour.
struct ZoneOffsets {
    let zone: TimeZone
    private var east: [Int64: Int] = [:]
    private var fromLocal: [Int64: Int64?] = [:]
    private static let quarter: Int64 = 900

    init(_ zone: TimeZone) { self.zone = zone }

    /// Seconds east of UTC at an instant (seconds since 1970).
    mutating func offset(at instant: Int64) -> Int {
        let start = CivilTime.floorDivide(instant, Self.quarter) * Self.quarter
        if let known = east[start] { return known }
        let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(start)))
        east[start] = offset
        return offset
    }

    /// The instant of a local time written as seconds since 1970 as if it were UTC, as the gregorian
    /// calendar in the zone reads it: a time the clocks skipped falls after the change, a time they
    /// repeated on its first occurrence.
    mutating func instant(local written: Int64) -> Int64? {
        let start = CivilTime.floorDivide(written, Self.quarter) * Self.quarter
        if let known = fromLocal[start] { return known.map { written + $0 } }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let days = CivilTime.floorDivide(start, CivilTime.secondsPerDay)
        let date = CivilTime.date(days: Int(days))
        let seconds = Int(start - days * CivilTime.secondsPerDay)
        let components = DateComponents(
            year: date.year, month: date.month, day: date.day, hour: seconds / 3600, minute: seconds / 60 % 60)
        let shift = calendar.date(from: components).map {
            Int64($0.timeIntervalSince1970.rounded(.down)) - start
        }
        fromLocal[start] = shift
        return shift.map { written + $0 }
    }
}
