import Fluent
import Foundation
import SQLKit
import WellplanCore

/// Published versions of a plan. Publishing freezes the plan's tree as it stands; a version is
/// never changed afterwards (there is no route or function that would).
struct PlanVersion: Codable, Sendable {
    var id: UUID
    var planId: UUID
    var number: Int
    var note: String?
    var publishedAt: Timestamp
    var publishedBy: String
    var snapshot: String

    var frozen: PlanSnapshot {
        get throws { try JSONDecoder().decode(PlanSnapshot.self, from: Data(snapshot.utf8)) }
    }

    /// The version as the API shows it, with its snapshot as an object.
    struct Summary: Codable, Sendable {
        var id: UUID
        var planId: UUID
        var number: Int
        var note: String?
        var publishedAt: Timestamp
        var publishedBy: String
    }

    var summary: Summary {
        Summary(id: id, planId: planId, number: number, note: note, publishedAt: publishedAt, publishedBy: publishedBy)
    }
}

enum PlanVersions {
    static func all(_ planId: UUID, on db: any SQLDatabase) async throws -> [PlanVersion] {
        try await db.select().column("*").from("plan_versions").where("plan_id", .equal, SQLBind(planId))
            .orderBy("number", .descending).all(decoding: PlanVersion.self, with: Records.decoder)
    }

    /// Whether the plan has a published version (is public), without reading any snapshot.
    static func isPublished(_ planId: UUID, on db: any SQLDatabase) async throws -> Bool {
        try await db.select().column("id").from("plan_versions").where("plan_id", .equal, SQLBind(planId)).limit(1)
            .first() != nil
    }

    static func find(_ planId: UUID, number: Int, on db: any SQLDatabase) async throws -> PlanVersion? {
        try await db.select().column("*").from("plan_versions").where("plan_id", .equal, SQLBind(planId))
            .where("number", .equal, SQLBind(number)).first(decoding: PlanVersion.self, with: Records.decoder)
    }

    /// The newest published version of each plan: what the public sees.
    static func latestOfEachPlan(on db: any SQLDatabase) async throws -> [PlanVersion] {
        let all = try await db.select().column("*").from("plan_versions").orderBy("number", .descending)
            .all(decoding: PlanVersion.self, with: Records.decoder)
        var seen = Set<UUID>()
        return all.filter { seen.insert($0.planId).inserted }
    }

    static func publish(_ planId: UUID, note: String?, on db: any Database, _ author: Author) async throws
        -> PlanVersion
    {
        if let note, note.count > 500 { throw WellplanError.invalid([FieldProblem("note", "error_too_long", ["500"])]) }
        return try await db.writeTransaction { tx in
            guard let snapshot = try await PlanSnapshots.snapshot(planId, Records(db: tx.sql)) else {
                throw WellplanError.notFound("plan")
            }
            let number = (try await all(planId, on: tx.sql).first?.number ?? 0) + 1
            let version = PlanVersion(
                id: UUID(), planId: planId, number: number, note: note?.isEmpty == true ? nil : note,
                publishedAt: author.now, publishedBy: author.label, snapshot: AuditLog.json(snapshot))
            try await tx.sql.insert(into: "plan_versions").model(version, with: Records.encoder).run()
            try await AuditLog.append(
                on: tx.sql, author, "publish", "planVersion", recordId: version.id.uuidString,
                after: AuditLog.json(version.summary))
            return version
        }
    }
}
