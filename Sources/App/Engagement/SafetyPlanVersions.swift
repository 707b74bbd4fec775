import Fluent
import SQLKit
import Vapor
import WellplanCore

/// A safety plan's versions, each with its PDF, numbered 1, 2, 3… in the order they were uploaded.
struct SafetyPlanVersions {
    let db: any Database

    struct Stored: Codable, Sendable {
        var id: UUID
        var safetyPlanId: UUID
        var number: Int
        var note: String?
        var fileName: String
        var size: Int
        var sha256: String
        var fileId: UUID
        var uploadedBy: String
        var uploadedAt: Timestamp
    }

    /// What a list shows: everything but the file itself.
    struct Version: Content {
        let number: Int
        let note: String?
        let fileName: String
        let size: Int
        let sha256: String
        let uploadedBy: String
        let uploadedAt: Timestamp
    }

    func list(_ plan: UUID) async throws -> [Version] {
        try await db.sql.select().columns("number", "note", "file_name", "size", "sha256", "uploaded_by", "uploaded_at")
            .from("safety_plan_versions")
            .where("safety_plan_id", .equal, SQLBind(plan)).orderBy("number").all(
                decoding: Version.self, with: Records.decoder)
    }

    func file(_ plan: UUID, number: Int) async throws -> (name: String, data: Data)? {
        guard
            let row = try await db.sql.select().columns("file_name", "file_id").from("safety_plan_versions")
                .where("safety_plan_id", .equal, SQLBind(plan)).where("number", .equal, SQLBind(number)).first(),
            let data = try await StoredFiles(sql: db.sql).data(try row.decode(column: "file_id", as: UUID.self))
        else { return nil }
        return (try row.decode(column: "file_name", as: String.self), data)
    }

    /// Adds the next version; the file must be a PDF. The number is taken inside the write, so two uploads never share one.
    func add(_ plan: UUID, fileName: String, data: Data, note: String?, author: Author) async throws -> Version {
        let problems = SafetyPlanFile.problems(data)
        if !problems.isEmpty { throw WellplanError.invalid(problems) }
        let name = StoredFiles.name(fileName, otherwise: "safety-plan.pdf")
        let note = note?.trimmingCharacters(in: .whitespacesAndNewlines).prefix(1_000)
        return try await db.writeTransaction { tx in
            let file = try await StoredFiles(sql: tx.sql).keep(data, mediaType: "application/pdf", at: author.now)
            let digest = file.sha256
            let number = try await StoredFiles.nextNumber(
                in: "safety_plan_versions", owner: "safety_plan_id", plan, on: tx.sql)
            let stored = Stored(
                id: UUID(), safetyPlanId: plan, number: number, note: note.flatMap { $0.isEmpty ? nil : String($0) },
                fileName: name,
                size: data.count, sha256: digest, fileId: file.id, uploadedBy: author.label, uploadedAt: author.now)
            try await tx.sql.insert(into: "safety_plan_versions").model(stored, with: Records.encoder).run()
            try await AuditLog.append(
                on: tx.sql, author, "upload_version", RecordKind.safetyPlan.rawValue, recordId: plan.uuidString,
                after: AuditLog.json(["number": String(stored.number), "sha256": digest, "size": String(data.count)]))
            return Version(
                number: stored.number, note: stored.note, fileName: stored.fileName, size: stored.size, sha256: digest,
                uploadedBy: author.label,
                uploadedAt: stored.uploadedAt)
        }
    }
}
