import Crypto
import Foundation
import SQLKit
import Testing
import VaporTesting
import WellplanCore

@testable import App

/// One stored-file service: every owner's files in the database, in chunks, moved there from the columns
/// and folders they were kept in before, byte for byte.
@Suite struct StoredFilesTests {
    /// The bytes each owner row points at, by table and row, read through the one service.
    static func files(_ sql: any SQLDatabase) async throws -> [String: [UUID: Data]] {
        var found: [String: [UUID: Data]] = [:]
        for (table, _) in M027_KeepFilesInTheDatabase.owners {
            for row in try await sql.select().columns("id", "file_id").from(table).all() {
                let file = try row.decode(column: "file_id", as: UUID.self)
                found[table, default: [:]][try row.decode(column: "id", as: UUID.self)] = try await StoredFiles(
                    sql: sql
                ).data(file)
            }
        }
        return found
    }

    @Test func aDatabaseFromBeforeKeepsEveryFileByteForByte() async throws {
        try await withApp { app in
            try await DemoRegion.load(into: app, .init(arguments: []))
            // A finding's photo besides (a small JPEG, as the CPTED tests make one).
            let project = try #require(try await Records(db: app.db.sql).list(Project.self, limit: 1).first)
            let writer = RecordWriter(db: app.db, author: .commandLine)
            let audit = CptedAudit(
                projectId: project.id, siteName: "Arena lane", auditedOn: Day("2025-09-18")!,
                method: "community_walkabout")
            try await writer.create(audit)
            let finding = AuditFinding(
                auditId: audit.id, principle: "natural_surveillance", severity: "high", descriptionEn: "Unlit lane")
            try await writer.create(finding)
            let scan: [UInt8] = [0xFF, 0xD8, 0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 0x3F, 0, 0x12, 0x34, 0xFF, 0xD9]
            _ = try await FindingPhotos(db: app.db).add(
                finding.id, data: Data(scan), descriptionEn: "Lane", descriptionFr: nil, author: .commandLine)
            let sql = app.db.sql
            let kept = try await Self.files(sql)
            // The demo has photos, safety-plan versions and published reports' files.
            for table in ["finding_photos", "safety_plan_versions", "report_files"] {
                #expect(!(kept[table] ?? [:]).isEmpty, "the demo keeps no \(table)")
            }
            // As it was before: each owner's bytes in a column of its own, and an incident upload waiting in a folder.
            try await M027_KeepFilesInTheDatabase().revert(on: app.db)
            for (table, rows) in kept {
                for (id, data) in rows {
                    let row = try #require(
                        try await sql.select().column("data").from(table).where("id", .equal, SQLBind(id)).first())
                    #expect(try row.decode(column: "data", as: Data.self) == data, "\(table) \(id) as it was")
                }
            }
            let waiting = FileManager.default.temporaryDirectory.appendingPathComponent("waiting-\(UUID()).csv")
            let csv = Data("id,when,what,lon,lat\nA-1,2025-01-02,assault,-83.0,42.3\n".utf8)
            try csv.write(to: waiting)
            let upload = UUID()
            try await sql.insert(into: "incident_imports").columns(
                "id", "file", "columns", "rows", "created_by", "created_at"
            )
            .values(
                SQLBind(upload), SQLBind(waiting.path), SQLBind("{}"), SQLBind(1), SQLBind("test"),
                SQLBind(app.clock.now)
            ).run()
            // Moved in: the same bytes through the one service, the upload out of its folder and into the database.
            try await M027_KeepFilesInTheDatabase().prepare(on: app.db)
            #expect(try await Self.files(sql) == kept)
            let row = try #require(
                try await sql.select().column("file_id").from("incident_imports").where("id", .equal, SQLBind(upload))
                    .first())
            #expect(try await StoredFiles(sql: sql).data(try row.decode(column: "file_id", as: UUID.self)) == csv)
            #expect(!FileManager.default.fileExists(atPath: waiting.path))
        }
    }

    /// PostgreSQL keeps chunks as they are, not compressed (photos and PDFs are compressed already, uploads
    /// are read once). SQLite never compresses, so this runs where the suite runs on PostgreSQL.
    @Test(.enabled(if: TestDatabase.postgresURL != nil))
    func chunksAreNotCompressedOnPostgreSQL() async throws {
        try await withApp { app in
            let sql = app.db.sql
            let row = try await sql.raw(
                """
                SELECT attstorage::text AS storage FROM pg_attribute
                WHERE attrelid = 'stored_file_chunks'::regclass AND attname = 'data'
                """
            ).first()
            #expect(try row?.decode(column: "storage", as: String.self) == "e")
        }
    }

    @Test func aLargeFileIsKeptInChunksAndReadBackWhole() async throws {
        try await withApp { app in
            let sql = app.db.sql
            // Three and a bit chunks, with every byte value, from memory and from a file.
            let size = StoredFiles.chunkSize * 3 + 17
            let data = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 / 7) })
            let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
            let fromMemory = try await StoredFiles(sql: sql).keep(
                data, mediaType: "application/octet-stream", at: app.clock.now)
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("large-\(UUID())")
            defer { try? FileManager.default.removeItem(at: path) }
            try data.write(to: path)
            let fromFile = try await StoredFiles(sql: sql).keep(
                contentsOf: path, mediaType: "application/octet-stream", at: app.clock.now)
            for kept in [fromMemory, fromFile] {
                #expect(kept.size == size && kept.sha256 == digest)
                let chunks = try await sql.select().column("id").from("stored_file_chunks").where(
                    "file_id", .equal, SQLBind(kept.id)
                ).all()
                #expect(chunks.count == 4)
                #expect(try await StoredFiles(sql: sql).data(kept.id) == data)
                let folder = FileManager.default.temporaryDirectory
                let copied = try await StoredFiles(sql: sql).withCopy(kept.id, in: folder) { copy in
                    let read = try Data(contentsOf: copy)
                    #expect(read == data)
                    return copy
                }
                #expect(!FileManager.default.fileExists(atPath: copied.path))
            }
            // An empty file is a file too.
            let empty = try await StoredFiles(sql: sql).keep(Data(), mediaType: "text/csv", at: app.clock.now)
            #expect(try await StoredFiles(sql: sql).data(empty.id) == Data())
            try await StoredFiles(sql: sql).remove(fromMemory.id)
            #expect(try await StoredFiles(sql: sql).data(fromMemory.id) == nil)
        }
    }
}
