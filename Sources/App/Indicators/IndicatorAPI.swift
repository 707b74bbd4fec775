import Fluent
import Vapor
import WellplanCore

/// `/api/v1/plans/:id/observations/import`, `/api/v1/measures/:id/observations` and the scorecards.
struct IndicatorAPI: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.streamed(.POST, "plans", ":id", "observations", "import", max: "2gb", use: importObservations)
        routes.get("measures", ":id", "observations", use: observations)
        routes.large(.POST, "measures", ":id", "observations", max: "10mb", use: enter)
        routes.get("plans", ":id", "scorecard", use: scorecard)
        // Open data: the catalogue and each published measure, for anyone, through the public minimum.
        routes.get("public", "open-data") { req in try jsonResponse(try await PublicIndicatorPages.catalogue(req)) }
        routes.get("public", "measures", ":id") { req in try jsonResponse(try await PublicIndicatorPages.view(req)) }
        routes.get("public", "measures", ":id", "data.csv") { req in
            MeasureDownloads.csv(try await PublicIndicatorPages.view(req))
        }
        routes.get("public", "measures", ":id", "data.geojson") { req in
            try await MeasureDownloads.geoJSON(try await PublicIndicatorPages.view(req), req)
        }
    }

    @Sendable func importObservations(req: Request) async throws -> Response {
        let plan = try await req.authorizedRecord(Plan.self, .update)
        try req.requireCSV()
        let request = try ObservationImportRequest(plan: plan.id) { req.query[String.self, at: $0] }
        let job = try await ObservationImportJob.accept(
            request, db: req.db, author: req.author, uploads: req.application.settings.uploads
        ) { file in
            try await req.spool(to: file)
        }
        return try jsonResponse(["job": job.id.uuidString], status: .accepted)
    }

    @Sendable func observations(req: Request) async throws -> Response {
        let measure = try await req.authorizedRecord(Measure.self, .read)
        return try jsonResponse(try await MeasureView.load(measure, req, audience: try await req.audience()))
    }

    /// Figures typed in or sent from another system: `[{"period":"2024","value":12}, …]`, all or none.
    @Sendable func enter(req: Request) async throws -> HTTPStatus {
        let measure = try await req.authorizedRecord(Measure.self, .update)
        struct Entry: Decodable {
            let period: String
            let areaCode: String?
            let breakdown: String?
            let value: Double?
            let numerator: Double?
            let denominator: Double?
            let note: String?
        }
        guard let entries = try? JSONDecoder().decode([Entry].self, from: Data(buffer: req.body.data ?? ByteBuffer()))
        else {
            throw WellplanError.invalid([FieldProblem("body", "error_malformed")])
        }
        var problems: [FieldProblem] = []
        var observations: [Observation] = []
        for (i, e) in entries.enumerated() {
            do throws(WellplanError) {
                observations.append(
                    try Observation.entered(
                        period: e.period, areaCode: e.areaCode, breakdown: e.breakdown, value: e.value,
                        numerator: e.numerator, denominator: e.denominator,
                        note: e.note))
            } catch {
                guard case .invalid(let found) = error else { throw error }
                problems += found.map { FieldProblem("[\(i)].\($0.field)", $0.messageKey, $0.values) }
            }
        }
        if !problems.isEmpty { throw WellplanError.invalid(problems) }
        try await Observations(db: req.db, author: req.author).save(observations, of: measure)
        return .noContent
    }

    @Sendable func scorecard(req: Request) async throws -> Response {
        let plan = try await req.authorizedRecord(Plan.self, .read)
        let measures = try await Records(db: req.sql).list(Measure.self, filters: ["planId": plan.id])
        let lines = try await MeasureView.load(measures, req, audience: try await req.audience(), wholeAreaOnly: true)
        struct Line: Encodable {
            let measure: String
            let code: String
            let scorecard: ScorecardLine
        }
        return try jsonResponse(
            lines.map { Line(measure: $0.measure.id.uuidString, code: $0.measure.code, scorecard: $0.scorecard) })
    }
}
