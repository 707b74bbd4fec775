import Fluent
import SQLKit
import Vapor
import WellplanCore

/// What an incident import carries to its job: the columns chosen and, for area codes, their layer.
struct IncidentImportRequest: Codable, Sendable {
    var columns: IncidentColumns
    var areaLayer: UUID?
    /// `unplaced=keep`: rows without a place are kept, in totals and no area, and listed; otherwise each is
    /// refused with its line.
    var keepsUnplaced = false

    init(_ columns: IncidentColumns, areaLayer: UUID? = nil, keepsUnplaced: Bool = false) {
        self.columns = columns
        self.areaLayer = areaLayer
        self.keepsUnplaced = keepsUnplaced
    }

    /// From the query or form fields: `occurredAt`, `category`, `eventId`, then `longitude` and `latitude`,
    /// or `x`, `y` and `zone`, or `areaColumn` and `areaLayerId`; `reportedArea` if wanted.
    init(_ field: (String) -> String?) throws {
        var problems: [FieldProblem] = []
        func required(_ name: String) -> String {
            guard let value = field(name)?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
                problems.append(FieldProblem(name, "error_required"))
                return ""
            }
            return value
        }
        let (when, what, event) = (required("occurredAt"), required("category"), required("eventId"))
        var location = IncidentColumns.Location.area(column: "")
        areaLayer = nil
        if field("x")?.isEmpty == false || field("zone")?.isEmpty == false {
            guard let zone = field("zone").flatMap({ Int($0) }) else {
                throw WellplanError.invalid(problems + [FieldProblem("zone", "error_not_integer")])
            }
            location = .utm(x: required("x"), y: required("y"), zone: zone)
        } else if field("areaColumn")?.isEmpty == false {
            guard let layer = field("areaLayerId").flatMap(UUID.init(uuidString:)) else {
                throw WellplanError.invalid(problems + [FieldProblem("areaLayerId", "error_not_reference")])
            }
            location = .area(column: required("areaColumn"))
            areaLayer = layer
        } else {
            location = .longitudeLatitude(longitude: required("longitude"), latitude: required("latitude"))
        }
        if !problems.isEmpty { throw WellplanError.invalid(problems) }
        switch field("unplaced") ?? "" {
        case "", "refuse": keepsUnplaced = false
        case "keep": keepsUnplaced = true
        case let other: throw WellplanError.invalid([FieldProblem("unplaced", "error_not_in_list", [other])])
        }
        columns = IncidentColumns(
            occurredAt: when, category: what, eventId: event, location: location,
            reportedArea: field("reportedArea").flatMap { $0.isEmpty ? nil : $0 })
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        columns = try c.decode(IncidentColumns.self, forKey: .columns)
        areaLayer = try c.decodeIfPresent(UUID.self, forKey: .areaLayer)
        // An import queued before this choice existed kept such rows.
        keepsUnplaced = try c.decodeIfPresent(Bool.self, forKey: .keepsUnplaced) ?? true
    }
}

/// Uploads waiting for their job, kept in the database (`StoredFiles`) so that any server's worker can run
/// the import, and streamed through files so the import never holds a whole export in memory.
enum IncidentUploads {
    /// Streams the request body to a file, checks every row, keeps it and queues the import; a bad file is
    /// refused whole, with its lines.
    static func accept(
        _ request: IncidentImportRequest, db: any Database, author: Author, uploads: URL,
        body: (URL) async throws -> Void
    ) async throws -> Job {
        if let layer = request.areaLayer, try await Records(db: db.sql).find(Layer.self, layer) == nil {
            throw WellplanError.invalid([FieldProblem("areaLayerId", "error_reference_not_found", [layer.uuidString])])
        }
        let id = UUID()
        let file = try StoredFiles.temporary("incidents-\(id).csv", in: uploads)
        defer { try? FileManager.default.removeItem(at: file) }
        try await body(file)
        let rows = try await Incidents.check(file, request, db: db)
        let columns = String(decoding: try JSONEncoder().encode(request), as: UTF8.self)
        return try await db.writeTransaction { tx in
            let kept = try await StoredFiles(sql: tx.sql).keep(contentsOf: file, mediaType: "text/csv", at: author.now)
            try await tx.sql.insert(into: "incident_imports").columns(
                "id", "file_id", "columns", "rows", "created_by", "created_at"
            )
            .values(
                SQLBind(id), SQLBind(kept.id), SQLBind(columns), SQLBind(rows), SQLBind(author.label),
                SQLBind(author.now)
            )
            .run()
            return try await JobQueue.enqueue(
                IncidentImportJob.self, payload: id.uuidString, on: tx.sql, author, maxAttempts: 3)
        }
    }
}

/// A checked incident file, imported in one transaction by whichever worker claims it. If the worker dies
/// half-way, the transaction leaves nothing behind and the next attempt starts over.
enum IncidentImportJob: JobKind {
    static let name = "incident_import"

    static func run(_ context: JobContext) async throws -> String? {
        let sql = context.db.sql
        guard let id = UUID(uuidString: context.job.payload),
            let row = try await sql.select().columns("file_id", "columns", "rows", "created_by").from(
                "incident_imports"
            )
            .where("id", .equal, SQLBind(id)).first()
        else { throw WellplanError.notFound("import") }
        let request = try JSONDecoder().decode(
            IncidentImportRequest.self, from: Data(try row.decode(column: "columns", as: String.self).utf8))
        let kept = try row.decode(column: "file_id", as: UUID.self)
        let incidents = Incidents(
            db: context.db,
            author: Author(
                userId: nil, label: try row.decode(column: "created_by", as: String.self), clock: context.settings.clock
            ))
        let expectedRows = try row.decode(column: "rows", as: Int.self)
        let result = try await StoredFiles(sql: sql).withCopy(kept, in: context.settings.uploads) { file in
            try await incidents.run(file, request, store: context.settings.store, expectedRows: expectedRows) {
                await context.report($0)
            }
        }
        try await sql.delete(from: "incident_imports").where("id", .equal, SQLBind(id)).run()
        try await StoredFiles(sql: sql).remove(kept)
        return result.summary
    }
}
