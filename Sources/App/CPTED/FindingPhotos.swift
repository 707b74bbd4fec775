import Fluent
import SQLKit
import Vapor
import WellplanCore

/// A CPTED finding's photographs, numbered 1, 2, 3… in the order they were added, kept without their metadata.
struct FindingPhotos {
    let db: any Database

    struct Stored: Codable, Sendable {
        var id: UUID
        var findingId: UUID
        var number: Int
        var mediaType: String
        var size: Int
        var sha256: String
        var fileId: UUID
        var descriptionEn: String
        var descriptionFr: String?
        var uploadedBy: String
        var uploadedAt: Timestamp
    }

    /// What a list shows: everything but the picture itself.
    struct Photo: Content {
        let number: Int
        let mediaType: String
        let size: Int
        let sha256: String
        let descriptionEn: String
        let descriptionFr: String?
        let uploadedBy: String
        let uploadedAt: Timestamp

        func description(_ language: Language) -> String {
            language == .fr ? descriptionFr ?? descriptionEn : descriptionEn
        }
    }

    func list(_ finding: UUID) async throws -> [Photo] {
        try await db.sql.select()
            .columns(
                "number", "media_type", "size", "sha256", "description_en", "description_fr", "uploaded_by",
                "uploaded_at"
            )
            .from("finding_photos").where("finding_id", .equal, SQLBind(finding)).orderBy("number")
            .all(decoding: Photo.self, with: Records.decoder)
    }

    func picture(_ finding: UUID, number: Int) async throws -> (type: String, data: Data)? {
        guard
            let row = try await db.sql.select().columns("media_type", "file_id").from("finding_photos")
                .where("finding_id", .equal, SQLBind(finding)).where("number", .equal, SQLBind(number)).first(),
            let data = try await StoredFiles(sql: db.sql).data(try row.decode(column: "file_id", as: UUID.self))
        else { return nil }
        return (try row.decode(column: "media_type", as: String.self), data)
    }

    /// Adds the next photo: a JPEG or PNG with a description, its metadata removed before it is kept.
    func add(_ finding: UUID, data: Data, descriptionEn: String?, descriptionFr: String?, author: Author) async throws
        -> Photo
    {
        let (picture, format) = try FindingPhoto.checked(data, descriptionEn: descriptionEn)
        let english = (descriptionEn ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let french = descriptionFr?.trimmingCharacters(in: .whitespacesAndNewlines).prefix(
            FindingPhoto.maximumDescription)
        return try await db.writeTransaction { tx in
            let file = try await StoredFiles(sql: tx.sql).keep(picture, mediaType: format.rawValue, at: author.now)
            let digest = file.sha256
            let stored = Stored(
                id: UUID(), findingId: finding,
                number: try await StoredFiles.nextNumber(
                    in: "finding_photos", owner: "finding_id", finding, on: tx.sql),
                mediaType: format.rawValue, size: picture.count, sha256: digest, fileId: file.id,
                descriptionEn: english,
                descriptionFr: french.flatMap { $0.isEmpty ? nil : String($0) }, uploadedBy: author.label,
                uploadedAt: author.now)
            try await tx.sql.insert(into: "finding_photos").model(stored, with: Records.encoder).run()
            try await AuditLog.append(
                on: tx.sql, author, "add_photo", RecordKind.auditFinding.rawValue, recordId: finding.uuidString,
                after: AuditLog.json(["number": String(stored.number), "sha256": digest, "size": String(picture.count)])
            )
            return Photo(
                number: stored.number, mediaType: stored.mediaType, size: stored.size, sha256: digest,
                descriptionEn: stored.descriptionEn,
                descriptionFr: stored.descriptionFr, uploadedBy: author.label, uploadedAt: stored.uploadedAt)
        }
    }

    /// Removes a photo (a face left unblurred, the wrong picture); the audit log keeps its digest.
    func remove(_ finding: UUID, number: Int, author: Author) async throws {
        try await db.writeTransaction { tx in
            guard
                let row = try await tx.sql.select().columns("sha256", "file_id").from("finding_photos")
                    .where("finding_id", .equal, SQLBind(finding)).where("number", .equal, SQLBind(number)).first()
            else { throw WellplanError.notFound("photo") }
            try await tx.sql.delete(from: "finding_photos").where("finding_id", .equal, SQLBind(finding))
                .where("number", .equal, SQLBind(number)).run()
            try await StoredFiles(sql: tx.sql).remove(try row.decode(column: "file_id", as: UUID.self))
            try await AuditLog.append(
                on: tx.sql, author, "remove_photo", RecordKind.auditFinding.rawValue, recordId: finding.uuidString,
                before: AuditLog.json([
                    "number": String(number), "sha256": try row.decode(column: "sha256", as: String.self),
                ]))
        }
    }

    /// A photo's picture, for pages and API alike: shown in the page, never guessed at as another type.
    @Sendable static func picture(req: Request) async throws -> Response {
        let finding = try await req.authorizedRecord(AuditFinding.self, .read)
        guard let number = req.parameters.get("number", as: Int.self),
            let picture = try await FindingPhotos(db: req.db).picture(finding.id, number: number)
        else { throw WellplanError.notFound("photo") }
        let type = HTTPMediaType(
            type: "image", subType: picture.type == FindingPhoto.Format.png.rawValue ? "png" : "jpeg")
        return StoredFiles.response(
            picture.data, type: type, fileName: "finding-photo-\(number).\(type.subType)", inline: true)
    }
}
