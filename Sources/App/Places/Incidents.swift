import Crypto
import Fluent
import Foundation
import SQLKit
import WellplanCore

/// Incidents: imported from a streamed CSV in one transaction (all or nothing, memory flat), each located
/// one assigned to its area in every layer, and counted by area × period × category.
struct Incidents {
    let db: any Database
    let author: Author

    /// An incident as its table keeps it.
    struct Stored: StagedImport.Row {
        var id: UUID
        var rowKey: String
        var eventId: String
        var category: String
        var occurredAt: Timestamp
        var occurredOn: Day
        var longitude: Double?
        var latitude: Double?
        var areaCode: String?
        var reportedArea: String?
        var importId: UUID

        static let columns = [
            "id", "row_key", "event_id", "category", "occurred_at", "occurred_on", "longitude", "latitude",
            "area_code", "reported_area", "import_id",
        ]
        var values: [StagedImport.Value] {
            [
                .id(id), .text(rowKey), .text(eventId), .text(category), .text(occurredAt.description),
                .text(occurredOn.description), .number(longitude), .number(latitude), .text(areaCode),
                .text(reportedArea), .id(importId),
            ]
        }
    }

    /// An incident in its area of one layer.
    struct Assignment: StagedImport.Row {
        var id: UUID
        var incidentId: UUID
        var layerId: UUID
        var areaId: UUID

        static let columns = ["id", "incident_id", "layer_id", "area_id"]
        var values: [StagedImport.Value] { [.id(id), .id(incidentId), .id(layerId), .id(areaId)] }
    }

    struct Result: Codable, Sendable {
        var rows = 0
        var added = 0
        var alreadyThere = 0
        var located = 0
        /// Rows kept without a place, where the import was asked to keep them, and the first of their lines.
        var unlocated = 0
        var unlocatedLines: [Int] = []
        var assigned = 0

        /// What the job says it did, every row accounted for.
        var summary: String {
            var text = "\(rows) rows: \(added) added, \(alreadyThere) already there; \(located) located"
            if unlocated > 0 {
                let lines = unlocatedLines.map(String.init).joined(separator: ", ")
                text +=
                    ", \(unlocated) kept without a place (line\(unlocated == 1 ? "" : "s") \(lines)\(unlocated > unlocatedLines.count ? ", …" : ""))"
            }
            return text
        }
    }

    /// Ids made from what they name, so writing the same row or assignment twice is one row.
    static func uuid(_ parts: String...) -> UUID {
        uuid(bytes: Array(SHA256.hash(data: Data(parts.joined(separator: "\u{1F}").utf8))))
    }

    /// An incident's id: the digest its key is written from, so that ids sort as keys do and the move
    /// writes the table and both its unique indexes from one end to the other (with ids made apart from
    /// keys, one of the two was written at random: a million incidents moved in 17.6 s instead of 11.0).
    /// A repeated row's id is made from its whole key.
    static func id(digest: [UInt8], key: String, repeat n: Int) -> UUID {
        n == 0 ? uuid(bytes: digest) : uuid(key)
    }

    /// An assignment's id: its incident's first ten bytes, then its layer's first six, so that assignments
    /// sort as their incidents do and are written in that order too.
    static func assignmentId(incident: UUID, layer: UUID) -> UUID {
        let i = incident.uuid
        let l = layer.uuid
        return UUID(uuid: (i.0, i.1, i.2, i.3, i.4, i.5, i.6, i.7, i.8, i.9, l.0, l.1, l.2, l.3, l.4, l.5))
    }

    private static func uuid(bytes d: [UInt8]) -> UUID {
        UUID(
            uuid: (d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12], d[13], d[14], d[15])
        )
    }

    /// The layer an area column names, as codes to its areas' ids.
    static func areaCodes(_ layer: UUID?, _ db: any Database) async throws -> [String: UUID] {
        guard let layer else { return [:] }
        return Dictionary(try await Areas(db: db, author: .commandLine).list(layer).map { ($0.code, $0.id) }) {
            first, _ in first
        }
    }

    static func reader(_ request: IncidentImportRequest, codes: [String: UUID]) throws -> IncidentReader {
        try IncidentReader(
            request.columns, areaCodes: request.areaLayer == nil ? nil : AreaCodes(codes.keys),
            keepsUnplaced: request.keepsUnplaced)
    }

    /// Reads the whole file once without writing: every problem, with its line, before anything is kept.
    static func check(_ file: URL, _ request: IncidentImportRequest, db: any Database) async throws -> Int {
        var reader = try reader(request, codes: try await areaCodes(request.areaLayer, db))
        var rows = 0
        try await ImportPipeline.stream(file, &reader) { rows += $0.count }
        return rows
    }

    /// Imports the file, all or nothing, through staging tables (`StagedImport`): readers, sign-ins and
    /// other writers wait for the short move at the end, never for the whole file.
    func run(
        _ file: URL, _ request: IncidentImportRequest, store: Settings.Store, expectedRows: Int,
        progress: @escaping @Sendable (Double) async -> Void = { _ in }
    ) async throws -> Result {
        let indexes = try await Areas(db: db, author: author).allIndexes()
        let codes = try await Self.areaCodes(request.areaLayer, db)
        let matcher = AreaCodes(codes.keys)
        let importId = UUID()
        let author = self.author
        // Staged rows need no index: a key repeated in the file is counted in memory (`stage`).
        let tables = ["incidents", "incident_areas"]
        let result = try await StagedImport.run(store, pooled: db, tables: tables) { staging in
            var reader = try Self.reader(request, codes: codes)
            var result = Result()
            var repeats = Repeats(expected: expectedRows)
            try await ImportPipeline.stream(file, &reader) { piece in
                try await Self.stage(
                    piece, importId: importId, indexes: indexes, areaLayer: request.areaLayer,
                    area: { matcher.match($0).flatMap { codes[$0] } }, repeats: &repeats, on: staging,
                    into: &result)
                await progress(min(0.95, Double(result.rows) / Double(max(1, expectedRows))))
            }
            let staged = result
            return try await staging.move { tx in
                var moved = staged
                // A row an earlier import kept is already there, and stays as it was.
                moved.added = try await StagedImport.move(
                    "incidents", .keep(key: ["row_key"]), orderedBy: ["id"], on: tx)
                moved.alreadyThere = moved.rows - moved.added
                // An incident kept from an earlier import may have an id made otherwise (before ids were
                // digests); its staged assignment names the new id and is left out.
                moved.assigned = try await StagedImport.move(
                    "incident_areas", .keep(key: ["incident_id", "layer_id"]), orderedBy: ["incident_id"],
                    referencing: ("incident_id", "incidents"), on: tx)
                try await AuditLog.append(
                    on: tx, author, "import", "incidents", recordId: importId.uuidString,
                    after: AuditLog.json([
                        "rows": String(moved.rows), "added": String(moved.added), "unlocated": String(moved.unlocated),
                    ]))
                return moved
            }
        }
        await progress(1)
        return result
    }

    /// How many rows with a digest a file has had so far, by the digest's first eight bytes: a set of those
    /// seen once (eight bytes a row, made big enough at the start) and counts for the few seen again.
    struct Repeats {
        private var seen: Set<UInt64>
        private var again: [UInt64: Int] = [:]

        init(expected: Int) { seen = Set(minimumCapacity: expected) }

        /// The number of earlier rows with this digest; this row is counted.
        mutating func count(_ digest: [UInt8]) -> Int {
            let short = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            if seen.insert(short).inserted { return 0 }
            let earlier = again[short, default: 1]
            again[short] = earlier + 1
            return earlier
        }
    }

    /// Stages one batch: a row repeated within the file (two offences alike in one event) is kept again under
    /// its next key, counted in `repeats`; each located row is assigned to its area in every layer.
    static func stage(
        _ batch: [Incident], importId: UUID, indexes: [(layer: UUID, ids: [UUID], index: AreaIndex)], areaLayer: UUID?,
        area: (String) -> UUID?, repeats: inout Repeats, on staging: StagedImport, into result: inout Result
    ) async throws {
        var rows: [Stored] = []
        var assignments: [Assignment] = []
        rows.reserveCapacity(batch.count)
        for incident in batch {
            let digest = incident.digest
            let n = repeats.count(digest)
            let key = Incident.key(digest: digest, repeat: n)
            let row = Stored(
                id: id(digest: digest, key: key, repeat: n), rowKey: key, eventId: incident.eventId,
                category: incident.category,
                occurredAt: incident.occurredAt, occurredOn: incident.occurredOn,
                longitude: incident.position?.longitude, latitude: incident.position?.latitude,
                areaCode: incident.areaCode, reportedArea: incident.reportedArea, importId: importId)
            rows.append(row)
            if let position = incident.position {
                result.located += 1
                for layer in indexes {
                    guard let i = layer.index.locate(position) else { continue }
                    let id = assignmentId(incident: row.id, layer: layer.layer)
                    assignments.append(
                        Assignment(id: id, incidentId: row.id, layerId: layer.layer, areaId: layer.ids[i]))
                }
            } else if let code = incident.areaCode, let areaLayer, let areaId = area(code) {
                result.located += 1
                let id = assignmentId(incident: row.id, layer: areaLayer)
                assignments.append(Assignment(id: id, incidentId: row.id, layerId: areaLayer, areaId: areaId))
            } else {
                result.unlocated += 1
                if result.unlocatedLines.count < 100 { result.unlocatedLines.append(incident.line) }
            }
        }
        result.rows += batch.count
        try await staging.insert(rows, into: StagedImport.staged("incidents"))
        try await staging.insert(assignments, into: StagedImport.staged("incident_areas"))
    }

    /// Assigns every located incident to its area in a layer whose areas were just imported.
    static func assignAll(layer: UUID, ids: [UUID], index: AreaIndex, on sql: any SQLDatabase) async throws -> Int {
        var assigned = 0
        var after = ""
        while true {
            let rows = try await sql.select().columns("id", "row_key", "longitude", "latitude").from("incidents").where(
                "row_key", .greaterThan, SQLBind(after)
            )
            .where("longitude", .isNot, SQLLiteral.null).orderBy("row_key").limit(5_000).all()
            guard let last = rows.last else { break }
            after = try last.decode(column: "row_key", as: String.self)
            var assignments: [Assignment] = []
            for row in rows {
                let p = Position(
                    longitude: try row.decode(column: "longitude", as: Double.self),
                    latitude: try row.decode(column: "latitude", as: Double.self))
                guard let i = index.locate(p) else { continue }
                let incident = try row.decode(column: "id", as: UUID.self)
                assignments.append(
                    Assignment(
                        id: assignmentId(incident: incident, layer: layer), incidentId: incident, layerId: layer,
                        areaId: ids[i]))
            }
            try await StagedImport.insert(
                assignments, into: "incident_areas", ignoring: ["incident_id", "layer_id"], on: sql)
            assigned += assignments.count
        }
        return assigned
    }

    enum Period: String, CaseIterable, Codable, Sendable {
        case month, quarter, year
    }

    struct Count: Codable, Sendable, Equatable {
        let areaCode: String
        let areaName: String
        let period: String
        let category: String
        /// Distinct events, and offences (rows): one event can carry several offences.
        let events: Int
        let offences: Int
    }

    /// Assigned incidents (`x` their assignment, `i` the incident, `a` the area with `withAreas`) that
    /// occurred from `from` until the day before `until`, in the categories given (all when none).
    static func assigned(
        _ sql: any SQLDatabase, from: Day?, until: Day?, categories: [String] = [], withAreas: Bool = false
    ) -> SQLSelectBuilder {
        var query = sql.select().from(SQLAlias(SQLIdentifier("incident_areas"), as: SQLIdentifier("x")))
            .join(
                SQLAlias(SQLIdentifier("incidents"), as: SQLIdentifier("i")), on: SQLColumn("incident_id", table: "x"),
                .equal, SQLColumn("id", table: "i"))
        if withAreas {
            query = query.join(
                SQLAlias(SQLIdentifier("areas"), as: SQLIdentifier("a")), on: SQLColumn("area_id", table: "x"), .equal,
                SQLColumn("id", table: "a"))
        }
        if let from {
            query = query.where(SQLColumn("occurred_on", table: "i"), .greaterThanOrEqual, SQLBind(from.description))
        }
        if let until {
            query = query.where(SQLColumn("occurred_on", table: "i"), .lessThan, SQLBind(until.description))
        }
        if !categories.isEmpty {
            query = query.where(SQLColumn("category", table: "i"), in: categories)
        }
        return query
    }

    /// Counts by area × period × category over the days given, both included.
    func counts(layer: UUID, period: Period, from: Day?, to: Day?) async throws -> [Count] {
        let query = Self.assigned(db.sql, from: from, until: to?.adding(days: 1), withAreas: true)
            .column(SQLColumn("code", table: "a"), as: "area_code").column(
                SQLColumn("name", table: "a"), as: "area_name"
            )
            .column(SQLColumn("occurred_on", table: "i"), as: "day").column(
                SQLColumn("category", table: "i"), as: "category"
            )
            .column(SQLColumn("event_id", table: "i"), as: "event_id")
            .where(SQLColumn("layer_id", table: "x"), .equal, SQLBind(layer))
        struct Key: Hashable {
            let code: String, name: String, period: String, category: String
        }
        var offences: [Key: Int] = [:], events: [Key: Set<String>] = [:]
        for row in try await query.all() {
            let day = try row.decode(column: "day", as: String.self)
            let label =
                switch period {
                case .year: String(day.prefix(4))
                case .month: String(day.prefix(7))
                case .quarter: "\(day.prefix(4))-Q\(((Int(day.dropFirst(5).prefix(2)) ?? 1) - 1) / 3 + 1)"
                }
            let key = Key(
                code: try row.decode(column: "area_code", as: String.self),
                name: try row.decode(column: "area_name", as: String.self), period: label,
                category: try row.decode(column: "category", as: String.self))
            offences[key, default: 0] += 1
            events[key, default: []].insert(try row.decode(column: "event_id", as: String.self))
        }
        return offences.map { key, n in
            Count(
                areaCode: key.code, areaName: key.name, period: key.period, category: key.category,
                events: events[key]!.count, offences: n)
        }.sorted { ($0.areaCode, $0.period, $0.category) < ($1.areaCode, $1.period, $1.category) }
    }
}
