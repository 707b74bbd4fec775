import SQLKit
import Vapor
import WellplanCore

/// The plan's computed views and its versions, plus the health check.
struct PlanAPI: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("plans", ":id", "progress", use: progress)
        routes.get("plans", ":id", "compliance", use: compliance)
        routes.get("plans", ":id", "versions", use: versions)
        routes.post("plans", ":id", "versions", use: publish)
        routes.get("plans", ":id", "versions", ":number", use: version)
        routes.get("plans", ":id", "status-changes", use: statusChanges)
    }

    @Sendable func progress(req: Request) async throws -> Response {
        try await req.authorize(.read, .record(.plan, owningTable: nil))
        let plan = try await req.record(Plan.self)
        guard let snapshot = try await PlanSnapshots.snapshot(plan.id, Records(db: req.sql)) else {
            throw WellplanError.notFound("plan")
        }
        return try jsonResponse(snapshot.progress(req.language))
    }

    @Sendable func compliance(req: Request) async throws -> Response {
        try await req.authorize(.read, .compliance)
        let plan = try await req.record(Plan.self)
        return try jsonResponse(
            try await ComplianceReports.report(
                plan, Records(db: req.sql), on: req.clock.today, language: req.language))
    }

    @Sendable func versions(req: Request) async throws -> Response {
        try await req.authorize(.read, .planVersions)
        let plan = try await req.record(Plan.self)
        return try jsonResponse(try await PlanVersions.all(plan.id, on: req.sql).map(\.summary))
    }

    @Sendable func publish(req: Request) async throws -> Response {
        try await req.authorize(.create, .planVersions)
        let plan = try await req.record(Plan.self)
        var note: String?
        if req.body.data != nil {
            let body = try req.jsonObject()
            if let extra = body.keys.first(where: { $0 != "note" }) {
                throw WellplanError.invalid([FieldProblem(extra, "error_unknown_field")])
            }
            switch body["note"] {
            case nil, .null?: note = nil
            case .string(let text)?: note = text
            default: throw WellplanError.invalid([FieldProblem("note", "error_not_text")])
            }
        }
        let version = try await PlanVersions.publish(plan.id, note: note, on: req.db, req.author)
        return try jsonResponse(version.summary, status: .created)
    }

    @Sendable func version(req: Request) async throws -> Response {
        try await req.authorize(.read, .planVersions)
        let plan = try await req.record(Plan.self)
        guard let number = req.parameters.get("number", as: Int.self),
            let version = try await PlanVersions.find(plan.id, number: number, on: req.sql)
        else { throw WellplanError.notFound("version") }
        struct Body: Encodable {
            let version: PlanVersion.Summary
            let snapshot: PlanSnapshot
        }
        return try jsonResponse(Body(version: version.summary, snapshot: try version.frozen))
    }

    @Sendable func statusChanges(req: Request) async throws -> Response {
        try await req.authorize(.read, .record(.plan, owningTable: nil))
        let plan = try await req.record(Plan.self)
        let store = Records(db: req.sql)
        let projects = try await store.list(Project.self, filters: ["planId": plan.id])
        var ids = projects.map(\.id)
        for p in projects { ids += try await store.list(ActionItem.self, filters: ["projectId": p.id]).map(\.id) }
        return try jsonResponse(try await StatusTimeline.entries(on: req.sql, recordIds: ids))
    }
}
