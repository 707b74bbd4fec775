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
        (self.columns, self.areaLayer, self.keepsUnplaced) = (columns, areaLayer, keepsUnplaced)
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
        if let layer = request.areaLayer, try await RecordStore(db: db.sql).find(Layer.self, layer) == nil {
            throw WellplanError.invalid([FieldProblem("areaLayerId", "error_reference_not_found", [layer.uuidString])])
        }
        let id = UUID()
        let file = try StoredFiles.temporary("incidents-\(id).csv", in: uploads)
        defer { try? FileManager.default.removeItem(at: file) }
        try await body(file)
        let rows = try await Incidents.check(file, request, db: db)
        let columns = String(decoding: try JSONEncoder().encode(request), as: UTF8.self)
        return try await db.writeTransaction { tx in
            let kept = try await StoredFiles(sql: tx.sql).keep(contentsOf: file, mediaType: "text/csv")
            try await tx.sql.insert(into: "incident_imports").columns(
                "id", "file_id", "columns", "rows", "created_by", "created_at"
            )
            .values(
                SQLBind(id), SQLBind(kept.id), SQLBind(columns), SQLBind(rows), SQLBind(author.label),
                SQLBind(Timestamp.now)
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
            db: context.db, author: Author(userId: nil, label: try row.decode(column: "created_by", as: String.self)))
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

/// `/api/v1/layers/:id/areas` and `/api/v1/incidents/…`.
struct PlacesAPI: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.large(.POST, "layers", ":id", "areas", max: "50mb", use: importAreas)
        routes.get("layers", ":id", "areas", use: areas)
        routes.streamed(.POST, "incidents", "import", max: "2gb", use: importIncidents)
        routes.get("incidents", "counts", use: counts)
    }

    @Sendable func importAreas(req: Request) async throws -> Response {
        let layer = try await req.authorizedRecord(Layer.self, .update)
        guard let idProperty = req.query[String.self, at: "idProperty"], !idProperty.isEmpty else {
            throw WellplanError.invalid([FieldProblem("idProperty", "error_required")])
        }
        let result = try await Areas(db: req.db, author: req.author).importGeoJSON(
            layer, data: Data(buffer: req.body.data ?? ByteBuffer()), idProperty: idProperty,
            nameProperty: req.query[String.self, at: "nameProperty"])
        return try jsonResponse(["areas": result.areas, "incidentsAssigned": result.assigned], status: .created)
    }

    @Sendable func areas(req: Request) async throws -> Response {
        let layer = try await req.authorizedRecord(Layer.self, .read)
        return try jsonResponse(try await Areas(db: req.db, author: req.author).list(layer.id))
    }

    @Sendable func importIncidents(req: Request) async throws -> Response {
        try await req.authorize(.create, .incidents)
        guard req.headers.contentType?.subType == "csv" else { throw Abort(.unsupportedMediaType) }
        let request = try IncidentImportRequest { req.query[String.self, at: $0] }
        let job = try await IncidentUploads.accept(
            request, db: req.db, author: req.author, uploads: req.application.settings.uploads
        ) { file in
            try await req.spool(to: file)
        }
        return try jsonResponse(["job": job.id.uuidString], status: .accepted)
    }

    @Sendable func counts(req: Request) async throws -> Response {
        try await req.authorize(.read, .incidents)
        return try jsonResponse(try await PlacesPages.counts(req))
    }
}

/// A layer's areas and their import; the incident import form; counts by area.
struct PlacesPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("layers", ":id", "areas", use: areas)
        routes.large(.POST, "layers", ":id", "areas", max: "50mb", use: importAreas)
        routes.get("incidents", "import", use: importForm)
        routes.large(.POST, "incidents", "import", max: "200mb", use: importIncidents)
        routes.get("incidents", "counts", use: countsPage)
    }

    /// The counts the query asks for: `layerId`, `period` (month, quarter, year), `from`, `to`.
    static func counts(_ req: Request) async throws -> [Incidents.Count] {
        guard let layer = req.query[String.self, at: "layerId"].flatMap(UUID.init(uuidString:)) else {
            throw WellplanError.invalid([FieldProblem("layerId", "error_not_reference")])
        }
        let periodText = req.query[String.self, at: "period"] ?? "year"
        guard let period = Incidents.Period(rawValue: periodText) else {
            throw WellplanError.invalid([FieldProblem("period", "error_not_in_list", [periodText])])
        }
        return try await Incidents(db: req.db, author: req.author).counts(
            layer: layer, period: period, from: try req.queryDay("from"), to: try req.queryDay("to"))
    }

    struct AreasPage: Encodable {
        let heading: String
        let layerHref: String
        let areas: [Areas.Listed]
        let canImport: Bool
        let countsHref: String
        let problems: [ErrorResponses.Body.Problem]
        let message: String?
    }

    func areasPage(
        _ req: Request, _ layer: Layer, problems: [FieldProblem] = [], message: String? = nil, status: HTTPStatus = .ok
    ) async throws -> Response {
        _ = req.csrfToken
        let content = AreasPage(
            heading: req.text("areas_heading") + " · " + layer.title(req.language), layerHref: "/layers/\(layer.id)",
            areas: try await Areas(db: req.db, author: req.author).list(layer.id),
            canImport: AccessPolicy.permits(try await req.actor(), .update, .record(.layer, owningTable: nil)),
            countsHref: "/incidents/counts?layerId=\(layer.id)",
            problems: req.shown(problems), message: message)
        return try await req.page("areas", title: content.heading, status: status, content)
    }

    @Sendable func areas(req: Request) async throws -> Response {
        try await areasPage(req, try await req.authorizedRecord(Layer.self, .read))
    }

    @Sendable func importAreas(req: Request) async throws -> Response {
        let layer = try await req.authorizedRecord(Layer.self, .update)
        struct Form: Content {
            var idProperty: String?
            var nameProperty: String?
        }
        let form = try? req.content.decode(Form.self)
        guard let data = req.uploadedFile() else {
            return try await areasPage(
                req, layer, problems: [FieldProblem("file", "error_required")], status: .unprocessableEntity)
        }
        guard let idProperty = form?.idProperty?.trimmingCharacters(in: .whitespaces), !idProperty.isEmpty else {
            // Without an id property, the page lists the properties the file's features carry.
            let names = (try? GeoJSONLayer(data: data, idProperty: nil, nameProperty: nil).propertyNames) ?? []
            return try await areasPage(
                req, layer, problems: [FieldProblem("idProperty", "error_required")],
                message: names.isEmpty ? nil : req.text("areas_properties") + " " + names.joined(separator: ", "),
                status: .unprocessableEntity)
        }
        do {
            let result = try await Areas(db: req.db, author: req.author).importGeoJSON(
                layer, data: data, idProperty: idProperty, nameProperty: form?.nameProperty)
            return try await areasPage(
                req, layer,
                message:
                    "\(req.text("areas_imported")) \(result.areas); \(req.text("areas_assigned")) \(result.assigned)")
        } catch let error as WellplanError {
            switch error {
            case .invalid(let problems):
                return try await areasPage(req, layer, problems: problems, status: .unprocessableEntity)
            case .conflict(let key):
                return try await areasPage(req, layer, problems: [FieldProblem("file", key)], status: .conflict)
            default: throw error
            }
        }
    }

    struct ImportPage: Encodable {
        let heading: String
        let layers: [RecordView.FormField.Option]
        let problems: [ErrorResponses.Body.Problem]
    }

    func importPage(_ req: Request, problems: [FieldProblem] = [], status: HTTPStatus = .ok) async throws -> Response {
        _ = req.csrfToken
        let layers = try await RecordStore(db: req.sql).list(Layer.self)
        let content = ImportPage(
            heading: req.text("incidents_import"),
            layers: layers.map { .init(value: $0.id.uuidString, label: $0.title(req.language), selected: false) },
            problems: req.shown(problems))
        return try await req.page("incident-import", title: content.heading, status: status, content)
    }

    @Sendable func importForm(req: Request) async throws -> Response {
        try await req.authorize(.create, .incidents)
        return try await importPage(req)
    }

    @Sendable func importIncidents(req: Request) async throws -> Response {
        try await req.authorize(.create, .incidents)
        guard let data = req.uploadedFile() else {
            return try await importPage(
                req, problems: [FieldProblem("file", "error_required")], status: .unprocessableEntity)
        }
        struct Fields: Content {
            var occurredAt, category, eventId, longitude, latitude, x, y, zone, areaColumn, areaLayerId, reportedArea,
                unplaced: String?
        }
        let fields = try req.content.decode(Fields.self)
        let values: [String: String?] = [
            "occurredAt": fields.occurredAt, "category": fields.category, "eventId": fields.eventId,
            "longitude": fields.longitude, "latitude": fields.latitude,
            "x": fields.x, "y": fields.y, "zone": fields.zone, "areaColumn": fields.areaColumn,
            "areaLayerId": fields.areaLayerId,
            "reportedArea": fields.reportedArea, "unplaced": fields.unplaced,
        ]
        do {
            let request = try IncidentImportRequest { values[$0] ?? nil }
            let job = try await IncidentUploads.accept(
                request, db: req.db, author: req.author, uploads: req.application.settings.uploads
            ) {
                try data.write(to: $0)
            }
            return req.redirect(to: "/jobs/\(job.id)", redirectType: .normal)
        } catch let error as WellplanError {
            guard case .invalid(let problems) = error else { throw error }
            return try await importPage(req, problems: problems, status: .unprocessableEntity)
        }
    }

    struct CountsPage: Encodable {
        let heading: String
        let rows: [Incidents.Count]
        let layers: [RecordView.FormField.Option]
        let periods: [RecordView.FormField.Option]
    }

    @Sendable func countsPage(req: Request) async throws -> Response {
        try await req.authorize(.read, .incidents)
        let layers = try await RecordStore(db: req.sql).list(Layer.self)
        let chosen = req.query[String.self, at: "layerId"]
        let period = req.query[String.self, at: "period"] ?? "year"
        let rows = chosen == nil ? [] : try await Self.counts(req)
        let content = CountsPage(
            heading: req.text("incidents_counts"), rows: rows,
            layers: layers.map {
                .init(value: $0.id.uuidString, label: $0.title(req.language), selected: $0.id.uuidString == chosen)
            },
            periods: Incidents.Period.allCases.map {
                .init(value: $0.rawValue, label: req.text("period_\($0.rawValue)"), selected: $0.rawValue == period)
            })
        return try await req.page("incident-counts", title: content.heading, content)
    }
}
