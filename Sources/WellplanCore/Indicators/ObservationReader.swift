import Foundation

/// How an observation file is laid out, chosen at import.
public enum ObservationLayout: Sendable, Codable, Equatable {
    /// One figure per row: measure, period, area, one column per breakdown dimension, and the value (or its
    /// numerator and denominator).
    case long(LongColumns)
    /// One row per area and one column per measure, as the Community Well-Being index is published.
    case areasInRows(area: String, period: PeriodColumn, measures: [String: String])
    /// One row per measure and one column per area, as Toronto's neighbourhood profiles are: `measures`
    /// names the rows to keep by their label; `whole` is the column for the whole city, `skip` the columns
    /// that describe the row rather than an area; `codesRow` the label of a row giving each area column's
    /// code ("Neighbourhood Number"), where the headers are names.
    case measuresInRows(
        label: String, period: PeriodColumn, measures: [String: String], whole: String?, skip: [String],
        codesRow: String?)

    public struct LongColumns: Sendable, Codable, Equatable {
        public var measure: String
        public var period: PeriodColumn
        public var area: String?
        public var value: String
        public var numerator: String?
        public var denominator: String?
        public var note: String?
        /// Dimension code → the column holding its values.
        public var dimensions: [String: String]

        public init(
            measure: String = "measure", period: PeriodColumn = .column("period"), area: String? = nil,
            value: String = "value",
            numerator: String? = nil, denominator: String? = nil, note: String? = nil,
            dimensions: [String: String] = [:]
        ) {
            self.measure = measure
            self.period = period
            self.area = area
            self.value = value
            self.numerator = numerator
            self.denominator = denominator
            self.note = note
            self.dimensions = dimensions
        }
    }

    /// Each row's period from a column, or one period for the whole file (a census year).
    public enum PeriodColumn: Sendable, Codable, Equatable {
        case column(String)
        case fixed(Period)
    }
}

/// Reads observation files of every layout into figures keyed by measure code, through the one import pipeline.
public struct ObservationReader: RowImporter {
    public let layout: ObservationLayout
    private var areaColumns: [(header: String, code: String?)] = []

    public init(_ layout: ObservationLayout) { self.layout = layout }

    public var requiredColumns: [String] {
        func period(_ p: ObservationLayout.PeriodColumn) -> [String] {
            if case .column(let c) = p { return [c] }
            return []
        }
        switch layout {
        case .long(let c):
            return [c.measure, c.area].compactMap { $0 } + period(c.period) + (c.numerator == nil ? [c.value] : [])
                + c.dimensions.values.sorted()
        case .areasInRows(let area, let p, let measures): return [area] + period(p) + measures.keys.sorted()
        case .measuresInRows(let label, let p, _, let whole, _, _):
            return [label] + period(p) + (whole.map { [$0] } ?? [])
        }
    }

    public mutating func begin(header: [String]) throws(WellplanError) {
        guard case .measuresInRows(let label, let p, _, let whole, let skip, _) = layout else { return }
        var described = Set(([label] + skip).map { $0.lowercased() })
        if case .column(let c) = p { described.insert(c.lowercased()) }
        areaColumns = header.filter { !described.contains($0.lowercased()) && !$0.isEmpty }.map {
            ($0, $0 == whole ? nil : $0)
        }
        if areaColumns.isEmpty { throw .invalid([FieldProblem("line 1", "error_no_area_columns")]) }
    }

    public mutating func item(_ row: ImportRow) throws(WellplanError) -> [MeasureFigure] {
        var problems: [FieldProblem] = []
        func period(_ p: ObservationLayout.PeriodColumn) -> Period? {
            switch p {
            case .fixed(let fixed): return fixed
            case .column(let c):
                guard let period = Period(row[c]) else {
                    problems.append(FieldProblem(c, "error_not_period"))
                    return nil
                }
                return period
            }
        }
        func number(_ column: String, _ text: String) -> Double? {
            switch FigureText.read(text) {
            case .number(let n): return n
            case .missing: return nil
            case .invalid:
                problems.append(FieldProblem(column, "error_not_number"))
                return nil
            }
        }
        var figures: [MeasureFigure] = []
        switch layout {
        case .long(let c):
            let measure = row[c.measure]
            if measure.isEmpty { problems.append(FieldProblem(c.measure, "error_required")) }
            let when = period(c.period)
            let breakdown = Breakdown(c.dimensions.mapValues { row[$0] })
            let numerator = c.numerator.flatMap { number($0, row[$0]) }
            let denominator = c.denominator.flatMap { number($0, row[$0]) }
            let figure = number(c.value, row[c.value])
            if numerator != nil, denominator == 0 {
                problems.append(FieldProblem(c.denominator ?? "", "error_must_be_positive"))
            }
            if let when, problems.isEmpty {
                let area = c.area.map { row[$0] }.flatMap { $0.isEmpty ? nil : $0 }
                figures.append(
                    MeasureFigure(
                        measure,
                        Observation(
                            period: when, areaCode: area, breakdown: breakdown, value: figure, numerator: numerator,
                            denominator: denominator,
                            note: c.note.map { row[$0] }.flatMap { $0.isEmpty ? nil : String($0.prefix(500)) })))
            }
        case .areasInRows(let area, let p, let measures):
            let code = row[area]
            if code.isEmpty { problems.append(FieldProblem(area, "error_required")) }
            let when = period(p)
            for (column, measure) in measures.sorted(by: { $0.key < $1.key }) {
                let figure = number(column, row[column])
                if let when {
                    figures.append(MeasureFigure(measure, Observation(period: when, areaCode: code, value: figure)))
                }
            }
        case .measuresInRows(let label, let p, let measures, _, _, let codesRow):
            if let codesRow, row[label] == codesRow {
                // A column with a code takes the codes row's cell, when it has one.
                areaColumns = areaColumns.map { column in
                    guard let code = column.code else { return (column.header, nil) }
                    let cell = row[column.header]
                    return (column.header, cell.isEmpty ? code : cell)
                }
                return []
            }
            // Rows not chosen (the profile's many other characteristics) are passed over.
            guard let measure = measures[row[label]] else { return [] }
            let when = period(p)
            for (header, code) in areaColumns {
                let figure = number(header, row[header])
                if let when {
                    figures.append(MeasureFigure(measure, Observation(period: when, areaCode: code, value: figure)))
                }
            }
        }
        if !problems.isEmpty { throw .invalid(problems) }
        return figures
    }
}
