import Fluent
import SQLKit
import Vapor
import WellplanCore

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
            heading: req.text("areas_heading") + " · " + layer.title(req.language),
            layerHref: SiteURL.record(.layer, layer.id).path,
            areas: try await Areas(db: req.db, author: req.author).list(layer.id),
            canImport: AccessPolicy.permits(try await req.actor(), .update, .record(.layer, owningTable: nil)),
            countsHref: SiteURL.incidentCounts(layer: layer.id).path,
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
        let layers = try await Records(db: req.sql).list(Layer.self)
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
            return req.redirect(to: SiteURL.job(job.id).path, redirectType: .normal)
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
        let layers = try await Records(db: req.sql).list(Layer.self)
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
