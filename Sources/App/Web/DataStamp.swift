import SQLKit
import SQLiteNIO
import Synchronization
import Vapor

/// What tells one state of the whole database from another, read without touching a table: any commit,
/// by this server, another server on the same database or a command, changes it, whichever table it wrote.
/// So a page kept under a stamp is still right while the stamp is unchanged, with no list of the writes
/// that must invalidate it to keep up to date.
///
/// - SQLite: `PRAGMA data_version` on a connection of the stamp's own, which never writes. SQLite changes
///   it on that connection whenever any other connection commits.
/// - PostgreSQL: the current snapshot (`xmin:xmax:in-progress`). A commit removes its transaction from the
///   in-progress list, or the snapshot's end moves past it; a transaction's id is taken when it first
///   writes. The ids count across the whole server, so writes to other databases change it too.
///
/// A stamp is read before what is kept under it is read, so what is kept is at least as new as its stamp.
final class DataStamp: Sendable {
    private let path: String?
    private let watcher = Mutex<Task<SQLiteConnection, any Error>?>(nil)

    init(_ store: Settings.Store) {
        if case .sqlite(let path) = store { self.path = path } else { self.path = nil }
    }

    /// The stamp now. A database that gives none throws, rather than give a stamp that never moves.
    func read(_ sql: any SQLDatabase) async throws -> String {
        let stamp: String?
        if let path {
            stamp = try await watching(path).query("PRAGMA data_version").first?.columns.first?.data.description
        } else {
            let row = try await sql.raw("SELECT pg_current_snapshot()::text AS stamp").first()
            stamp = try row?.decode(column: "stamp", as: String.self)
        }
        guard let stamp else { throw Abort(.internalServerError, reason: "no data stamp") }
        return stamp
    }

    /// The stamp's own SQLite connection, opened on first use, and again after a failed opening.
    private func watching(_ path: String) async throws -> SQLiteConnection {
        let task = watcher.withLock { task in
            if let task { return task }
            let opened = Task { try await SQLiteConnection.open(storage: .file(path: path)) }
            task = opened
            return opened
        }
        do {
            return try await task.value
        } catch {
            watcher.withLock { if $0 == task { $0 = nil } }
            throw error
        }
    }

    func close() async {
        let task = watcher.withLock { task in
            defer { task = nil }
            return task
        }
        try? await task?.value.close()
    }
}

extension Application {
    struct DataStampKey: StorageKey { typealias Value = DataStamp }

    /// Set once at configuration (`PageCache.configure`).
    var dataStamp: DataStamp { storage[DataStampKey.self]! }
}
