import Fluent
import SQLKit

/// A kept file's chunks are stored as they are on PostgreSQL, not compressed: photos and PDFs are
/// compressed already, and an upload waiting for its import is read once and removed. PostgreSQL's own
/// compression (pglz) was the largest part of its work in importing Toronto's incidents. SQLite never
/// compresses.
struct M030_KeepFileChunksUncompressed: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard database.sql.isPostgres else { return }
        try await database.sql.raw("ALTER TABLE stored_file_chunks ALTER COLUMN data SET STORAGE EXTERNAL").run()
    }

    func revert(on database: any Database) async throws {
        guard database.sql.isPostgres else { return }
        try await database.sql.raw("ALTER TABLE stored_file_chunks ALTER COLUMN data SET STORAGE EXTENDED").run()
    }
}
