import Fluent

/// A CPTED finding's photographs, kept in the database like a safety plan's versions, numbered per finding.
struct M017_AttachFindingPhotos: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("finding_photos")
            .id()
            .field("finding_id", .uuid, .required, .references("audit_findings", "id"))
            .field("number", .int, .required)
            .field("media_type", .string, .required)
            .field("size", .int, .required)
            .field("sha256", .string, .required)
            .field("data", .data, .required)
            .field("description_en", .string, .required)
            .field("description_fr", .string)
            .field("uploaded_by", .string, .required)
            .field("uploaded_at", .string, .required)
            .unique(on: "finding_id", "number")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("finding_photos").delete()
    }
}
