import Fluent
import Foundation
import SQLKit
import WellplanCore

/// A plan's observations: imported from a streamed file in one transaction (all or nothing, a re-import
/// updating by measure, period, area and breakdown), typed in one by one, and read back as a measure's series.
struct Observations {
    let db: any Database
    let author: Author

    struct Stored: Codable, Sendable, StagedImport.Row {
        var id: UUID
        var measureId: UUID
        var period: String
        /// The period's first day, so a series sorts by time in SQL.
        var periodStart: String
        /// "" for the whole area the plan covers.
        var areaCode: String
        /// "" for everyone.
        var breakdown: String
        var value: Double?
        var numerator: Double?
        var denominator: Double?
        var note: String?
        var updatedAt: Timestamp

        /// A figure stored under `id`; a figure already there under the same key keeps its own id.
        init(_ measure: UUID, _ o: Observation, at now: Timestamp, id: UUID) {
            self.id = id
            measureId = measure
            period = o.period.description
            periodStart = o.period.start.description
            areaCode = o.areaCode ?? ""
            breakdown = o.breakdown.description
            value = o.value
            numerator = o.numerator
            denominator = o.denominator
            note = o.note
            updatedAt = now
        }

        static let columns = [
            "id", "measure_id", "period", "period_start", "area_code", "breakdown", "value", "numerator",
            "denominator", "note", "updated_at",
        ]
        var values: [StagedImport.Value] {
            [
                .id(id), .id(measureId), .text(period), .text(periodStart), .text(areaCode), .text(breakdown),
                .number(value), .number(numerator), .number(denominator), .text(note), .text(updatedAt.description),
            ]
        }
    }

    /// What an import needs to know of the plan's measures: each one's id, and the area codes its layer has.
    struct Targets: Sendable {
        struct Target: Sendable {
            let id: UUID
            let calculated: Bool
            /// The layer's codes by themselves and, for numeric codes, by their number ("29" finds "029").
            let areas: [String: String]?
        }
        let byCode: [String: Target]

        static func load(plan: UUID, db: any Database) async throws -> Targets {
            let store = Records(db: db.sql)
            var layers: [UUID: [String: String]] = [:]
            var byCode: [String: Target] = [:]
            for measure in try await store.list(Measure.self, filters: ["planId": plan]) {
                if let layer = measure.layerId, layers[layer] == nil {
                    var codes: [String: String] = [:]
                    for area in try await Areas(db: db, author: .commandLine).list(layer) {
                        codes[area.code] = area.code
                        if let n = Int(area.code) { codes[String(n)] = area.code }
                    }
                    layers[layer] = codes
                }
                byCode[measure.code] = Target(
                    id: measure.id, calculated: measure.isCalculated, areas: measure.layerId.flatMap { layers[$0] })
            }
            return Targets(byCode: byCode)
        }

        /// The figure bound to its measure, with its area code as the layer writes it, or what is wrong.
        func resolve(_ figure: MeasureFigure) throws(WellplanError) -> (measure: UUID, observation: Observation) {
            guard let target = byCode[figure.measureCode] else {
                throw .invalid([FieldProblem("measure", "error_unknown_measure", [figure.measureCode])])
            }
            if target.calculated {
                throw .invalid([FieldProblem("measure", "error_measure_calculated", [figure.measureCode])])
            }
            var observation = figure.observation
            if let code = observation.areaCode, let areas = target.areas {
                guard let known = areas[code] ?? Int(code).flatMap({ areas[String($0)] }) else {
                    throw .invalid([FieldProblem("area", "error_unknown_area", [code])])
                }
                observation.areaCode = known
            }
            return (target.id, observation)
        }
    }

    /// Reads the whole file once without writing: every problem with its line (an unknown measure or area, a
    /// figure given twice), before anything is kept. Returns the number of figures.
    static func check(_ file: URL, _ layout: ObservationLayout, targets: Targets) async throws -> Int {
        var check = Check(reader: ObservationReader(layout), targets: targets)
        var figures = 0
        try await ImportPipeline.stream(file, &check) { figures += $0.reduce(0, +) }
        return figures
    }

    /// Each row's figures read and bound to their measures, through the one import pipeline.
    struct Check: RowImporter {
        var reader: ObservationReader
        let targets: Targets
        /// One 64-bit digest per figure, with its line, keeps a million-row file's check in a few megabytes.
        var seen: [Int: Int] = [:]

        var requiredColumns: [String] { reader.requiredColumns }
        mutating func begin(header: [String]) throws(WellplanError) { try reader.begin(header: header) }

        mutating func item(_ row: ImportRow) throws(WellplanError) -> Int {
            let figures = try reader.item(row)
            var problems: [FieldProblem] = []
            for figure in figures {
                do throws(WellplanError) {
                    let (measure, observation) = try targets.resolve(figure)
                    var hasher = Hasher()
                    hasher.combine(measure)
                    hasher.combine(observation.key)
                    if let first = seen.updateValue(row.line, forKey: hasher.finalize()) {
                        problems.append(
                            FieldProblem(
                                "measure", "error_figure_repeated",
                                [figure.measureCode, observation.key, String(first)]))
                    }
                } catch {
                    guard case .invalid(let found) = error else { throw error }
                    problems += found
                }
            }
            if !problems.isEmpty { throw .invalid(problems) }
            return figures.count
        }
    }

    static let key = ["measure_id", "period", "area_code", "breakdown"]

    /// Writes a checked file, all or nothing, through staging tables (`StagedImport`): new figures are added,
    /// figures already there (same measure, period, area, breakdown) take the file's values.
    func run(
        _ file: URL, _ layout: ObservationLayout, targets: Targets, store: Settings.Store, expected: Int,
        progress: @escaping @Sendable (Double) async -> Void = { _ in }
    ) async throws -> Int {
        let author = self.author
        // Staged figures need no index: the check before the job refused any figure given twice.
        let written = try await StagedImport.run(store, pooled: db, tables: ["observations"]) { staging in
            var reader = ObservationReader(layout)
            var written = 0
            // Staged in the order of their ids, so they move without a sort and append to the table.
            var ids = OrderedIDs()
            // One time for the whole import.
            let now = author.now
            try await ImportPipeline.stream(file, &reader) { rows in
                let stored = try rows.flatMap { $0 }.map { figure -> Stored in
                    let (measure, observation) = try targets.resolve(figure)
                    return Stored(measure, observation, at: now, id: ids.next())
                }
                try await staging.insert(stored, into: StagedImport.staged("observations"))
                written += stored.count
                await progress(min(0.95, Double(written) / Double(max(1, expected))))
            }
            let total = written
            return try await staging.move { tx in
                let replaced = ["value", "numerator", "denominator", "note", "updated_at"]
                try await StagedImport.move("observations", .replace(key: Self.key, columns: replaced), on: tx)
                try await AuditLog.append(
                    on: tx, author, "import", "observations", after: AuditLog.json(["figures": String(total)]))
                return total
            }
        }
        await progress(1)
        return written
    }

    static func upsert(_ rows: [Stored], on sql: any SQLDatabase) async throws {
        guard !rows.isEmpty else { return }
        try await sql.insert(into: "observations").models(rows, with: Records.encoder)
            .onConflict(with: ["measure_id", "period", "area_code", "breakdown"]) {
                $0.set(excludedValueOf: "value").set(excludedValueOf: "numerator").set(excludedValueOf: "denominator")
                    .set(excludedValueOf: "note")
                    .set(excludedValueOf: "updated_at")
            }
            .run()
    }

    /// Figures typed in or sent by the API, for one measure: written together or not at all.
    func save(_ observations: [Observation], of measure: Measure) async throws {
        if measure.isCalculated { throw WellplanError.conflict("error_measure_calculated_entry") }
        let author = self.author
        try await db.writeTransaction { tx in
            var ids = OrderedIDs()
            let rows = observations.map { Stored(measure.id, $0, at: author.now, id: ids.next()) }
            try await Self.upsert(rows, on: tx.sql)
            try await AuditLog.append(
                on: tx.sql, author, "enter_observations", RecordKind.measure.rawValue, recordId: measure.id.uuidString,
                after: AuditLog.json(["figures": String(observations.count)]))
        }
    }

    /// Removes the measure's figure for `figure`'s period, area and breakdown, found by its unique key.
    func remove(_ measure: Measure, _ figure: Observation) async throws {
        let author = self.author
        let stored = Stored(measure.id, figure, at: author.now, id: UUID())
        try await db.writeTransaction { tx in
            try await tx.sql.delete(from: "observations").where("measure_id", .equal, SQLBind(measure.id))
                .where("period", .equal, SQLBind(stored.period)).where("area_code", .equal, SQLBind(stored.areaCode))
                .where("breakdown", .equal, SQLBind(stored.breakdown)).run()
            try await AuditLog.append(
                on: tx.sql, author, "remove_observation", RecordKind.measure.rawValue, recordId: measure.id.uuidString)
        }
    }

    /// A stamp for each stored measure's figures that changes whenever any of them does: how many there are,
    /// the last time one was written, and their sums. What was worked out from the figures can be kept under it.
    func versions(_ measures: [UUID]) async throws -> [UUID: String] {
        guard !measures.isEmpty else { return [:] }
        let rows = try await db.sql.select().column("measure_id")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").column(
                SQLFunction("MAX", args: SQLColumn("updated_at")), as: "written"
            )
            .column(SQLFunction("SUM", args: SQLColumn("value")), as: "v").column(
                SQLFunction("SUM", args: SQLColumn("numerator")), as: "p"
            )
            .column(SQLFunction("SUM", args: SQLColumn("denominator")), as: "q")
            .from("observations").where("measure_id", in: measures).groupBy("measure_id").all()
        var out = Dictionary(uniqueKeysWithValues: measures.map { ($0, "0") })
        for row in rows {
            let parts = [
                String(try row.decode(column: "n", as: Int.self)),
                try row.decode(column: "written", as: String?.self) ?? "",
                String(describing: try row.decode(column: "v", as: Double?.self)),
                String(describing: try row.decode(column: "p", as: Double?.self)),
                String(describing: try row.decode(column: "q", as: Double?.self)),
            ]
            out[try row.decode(column: "measure_id", as: UUID.self)] = parts.joined(separator: "|")
        }
        return out
    }

    /// Several measures' series at once (a dashboard's): one query for every stored figure, then each
    /// calculated measure worked out from its inputs. `wholeAreaOnly` leaves out the figures by area (a
    /// scorecard reads the whole area's, with its breakdowns, which the disclosure policy weighs together).
    func series(_ measures: [Measure], wholeAreaOnly: Bool = false) async throws -> [UUID: [Observation]] {
        let stored = measures.filter { !$0.isCalculated }.map(\.id)
        var out: [UUID: [Observation]] = Dictionary(uniqueKeysWithValues: stored.map { ($0, []) })
        if !stored.isEmpty {
            // Only the columns a figure needs, read one by one: decoding whole rows through Codable (key conversion,
            // the update time's parse) was most of a dashboard's time.
            var query = db.sql.select().columns(
                "measure_id", "period", "area_code", "breakdown", "value", "numerator", "denominator", "note"
            )
            .from("observations").where("measure_id", in: stored)
            if wholeAreaOnly { query = query.where("area_code", .equal, SQLBind("")) }
            for row in try await query.orderBy("period_start").orderBy("period").orderBy("area_code").orderBy(
                "breakdown"
            ).all() {
                guard let period = Period(try row.decode(column: "period", as: String.self)) else { continue }
                let area = try row.decode(column: "area_code", as: String.self),
                    breakdown = try row.decode(column: "breakdown", as: String.self)
                let o = Observation(
                    period: period, areaCode: area.isEmpty ? nil : area,
                    breakdown: breakdown.isEmpty ? .everyone : Breakdown(breakdown) ?? .everyone,
                    value: try row.decode(column: "value", as: Double?.self),
                    numerator: try row.decode(column: "numerator", as: Double?.self),
                    denominator: try row.decode(column: "denominator", as: Double?.self),
                    note: try row.decode(column: "note", as: String?.self))
                out[try row.decode(column: "measure_id", as: UUID.self), default: []].append(o)
            }
        }
        for measure in measures where measure.isCalculated {
            out[measure.id] = try await series(measure, wholeAreaOnly: wholeAreaOnly)
        }
        return out
    }

    /// A measure's stored figures, oldest first; for a calculated measure, worked out from its inputs.
    func series(_ measure: Measure, wholeAreaOnly: Bool = false) async throws -> [Observation] {
        guard let calculation = measure.calculation else {
            return try await series([measure], wholeAreaOnly: wholeAreaOnly)[measure.id] ?? []
        }
        let store = Records(db: db.sql)
        var inputs: [[Observation]] = [], units: [MeasureUnit] = [], found: [Measure] = []
        for id in measure.inputs {
            guard let input = try await store.find(Measure.self, id) else { throw WellplanError.notFound("measure") }
            found.append(input)
            inputs.append(try await series(input, wholeAreaOnly: wholeAreaOnly))
            units.append(input.unit)
        }
        if let problem = MeasureCalculation.frequencyProblem(measure, inputs: found) {
            throw WellplanError.invalid([problem])
        }
        return calculation.observations(inputs, units: units).sorted { ($0.period, $0.key) < ($1.period, $1.key) }
    }
}
