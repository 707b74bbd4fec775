import Fluent
import Foundation
import SQLKit
import WellplanCore

/// Every kept file moves into one place in the database, in chunks (`stored_files`, `stored_file_chunks`):
/// the photos, safety-plan versions and report files that each kept their bytes in a column of their own,
/// the survey uploads kept whole in one row, and the incident uploads that waited as files on the host
/// that took them. Each owner keeps a `file_id` instead, so any server sharing the database runs any import.
struct M027_KeepFilesInTheDatabase: AsyncMigration {
    /// The tables whose rows held their file's bytes in `data`, and the media type when they kept none.
    static let owners: [(table: String, mediaType: String?)] = [
        ("finding_photos", nil), ("safety_plan_versions", "application/pdf"), ("report_files", nil),
        ("pending_imports", "text/csv"),
    ]

    func prepare(on database: any Database) async throws {
        try await database.schema("stored_files")
            .id()
            .field("media_type", .string, .required)
            .field("size", .int, .required)
            .field("sha256", .string, .required)
            .field("created_at", .string, .required)
            .create()
        try await database.schema("stored_file_chunks")
            .id()
            .field("file_id", .uuid, .required, .references("stored_files", "id"))
            .field("sequence", .int, .required)
            .field("data", .data, .required)
            .unique(on: "file_id", "sequence")
            .create()
        let sql = database.sql
        let files = StoredFiles(sql: sql)
        for (table, mediaType) in Self.owners {
            try await database.schema(table).field("file_id", .uuid, .references("stored_files", "id")).update()
            let columns = mediaType == nil ? ["id", "data", "media_type"] : ["id", "data"]
            for row in try await sql.select().columns(columns.map { SQLColumn($0) }).from(table).all() {
                let data = try row.decode(column: "data", as: Data.self)
                let type = try mediaType ?? row.decode(column: "media_type", as: String.self)
                let kept = try await files.keep(data, mediaType: type, at: Clock.system.now)
                try await sql.update(table).set("file_id", to: SQLBind(kept.id))
                    .where("id", .equal, SQLBind(try row.decode(column: "id", as: UUID.self))).run()
            }
            try await database.schema(table).deleteField("data").update()
        }
        // An incident upload waiting as a file on this host moves in; one whose file is gone cannot run.
        try await database.schema("incident_imports").field("file_id", .uuid, .references("stored_files", "id"))
            .update()
        for row in try await sql.select().columns("id", "file").from("incident_imports").all() {
            let id = try row.decode(column: "id", as: UUID.self)
            let path = URL(fileURLWithPath: try row.decode(column: "file", as: String.self))
            if FileManager.default.fileExists(atPath: path.path) {
                let kept = try await files.keep(contentsOf: path, mediaType: "text/csv", at: Clock.system.now)
                try await sql.update("incident_imports").set("file_id", to: SQLBind(kept.id)).where(
                    "id", .equal, SQLBind(id)
                ).run()
                try? FileManager.default.removeItem(at: path)
            } else {
                try await sql.delete(from: "incident_imports").where("id", .equal, SQLBind(id)).run()
            }
        }
        try await database.schema("incident_imports").deleteField("file").update()
        // Any server now runs any job: none waits for the host that took its upload.
        try await database.schema("jobs").deleteField("runs_on").update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("jobs").field("runs_on", .string).update()
        let sql = database.sql
        let files = StoredFiles(sql: sql)
        for (table, _) in Self.owners {
            try await database.schema(table).field("data", .data).update()
            for row in try await sql.select().columns("id", "file_id").from(table).all() {
                guard let file = try row.decode(column: "file_id", as: UUID?.self) else { continue }
                let data = try await files.data(file) ?? Data()
                try await sql.update(table).set("data", to: SQLBind(data))
                    .where("id", .equal, SQLBind(try row.decode(column: "id", as: UUID.self))).run()
            }
            try await database.schema(table).deleteField("file_id").update()
        }
        try await sql.delete(from: "incident_imports").run()
        try await database.schema("incident_imports").field("file", .string).update()
        try await database.schema("incident_imports").deleteField("file_id").update()
        try await database.schema("stored_file_chunks").delete()
        try await database.schema("stored_files").delete()
    }
}
