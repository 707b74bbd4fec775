import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import SQLKit
import Vapor

/// SQLite in a file unless `DATABASE_URL` names a PostgreSQL server.
func configureDatabase(_ app: Application, _ settings: Settings) throws {
    switch settings.store {
    case .sqlite(let path):
        app.databases.use(.sqlite(.file(path), sqlLogLevel: .debug), as: .sqlite)
        // SQLite keeps one connection per event loop. A long job holding one of them would stall every
        // request on that loop, so jobs have connections of their own to the same file.
        app.databases.use(.sqlite(.file(path), sqlLogLevel: .debug), as: .sqliteJobs, isDefault: false)
    case .postgres(let url, let schema):
        var config = try SQLPostgresConfiguration(url: url)
        if let schema { config.searchPath = [schema] }
        // More than one connection per event loop: a job's transaction holds one while it reports its
        // progress through another, and requests on the same loop go on meanwhile. Writes queue on the
        // audit log's chain; under a burst on a busy machine a request waited past the pool's default
        // 10 s for a connection and answered 500, so it waits up to 30 s.
        app.databases.use(
            .postgres(
                configuration: config, maxConnectionsPerEventLoop: 4, connectionPoolTimeout: .seconds(30),
                sqlLogLevel: .debug),
            as: .psql)
    }
}

extension DatabaseID {
    static let sqliteJobs = DatabaseID(string: "sqlite-jobs")
}

extension Application {
    /// Where background jobs do their work: on SQLite, connections apart from the ones requests use.
    var jobsDatabase: any Database {
        if case .sqlite = settings.store { return db(.sqliteJobs) }
        return db
    }
}

extension Request {
    /// The database as SQL, for the record store and other bulk paths.
    var sql: any SQLDatabase { db as! any SQLDatabase }
}

extension Database {
    var sql: any SQLDatabase { self as! any SQLDatabase }
}

extension SQLDatabase {
    var isPostgres: Bool { dialect.name == "postgresql" }
}

/// SQLite allows one writer at a time. Write transactions in this process queue for their turn here,
/// so two never meet halfway (one holding a read lock and asking for the write lock the other holds);
/// single statements outside them wait for the lock (`busy_timeout`) instead of failing at once.
enum SQLiteWriter {
    actor Turn {
        private var busy = false
        private var waiting: [CheckedContinuation<Void, Never>] = []

        func take() async {
            if !busy {
                busy = true
                return
            }
            await withCheckedContinuation { waiting.append($0) }
        }

        func give() {
            if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
        }
    }

    static let turn = Turn()

    /// Writes ahead to a log, so readers go on reading while a long import writes; sets every connection
    /// (SQLite keeps one per event loop, for requests and for jobs) to wait for the lock, and to overwrite
    /// what it deletes, so a destroyed compartment key leaves no trace in the file's free pages.
    static func prepare(_ app: Application) async throws {
        guard case .sqlite = app.settings.store else { return }
        try await app.db.sql.raw("PRAGMA journal_mode = WAL").run()
        for id in [DatabaseID.sqlite, .sqliteJobs] {
            for loop in app.eventLoopGroup.makeIterator() {
                let db = app.databases.database(id, logger: app.logger, on: loop)!.sql
                try await db.raw("PRAGMA busy_timeout = 10000").run()
                try await db.raw("PRAGMA secure_delete = ON").run()
            }
        }
    }
}

extension SQLiteWriter {
    /// Begins with the write lock (`BEGIN IMMEDIATE`). Fluent's deferred `BEGIN` takes it only at the
    /// first write: had another connection (a job's progress, a sign-in) written since this transaction's
    /// first read, that write would fail at once with "database is locked", `busy_timeout` or not.
    static func immediateTransaction<T: Sendable>(
        on connection: any Database, _ body: @escaping @Sendable (any Database) async throws -> T
    ) async throws -> T {
        try await connection.sql.raw("BEGIN IMMEDIATE").run()
        do {
            let result = try await body(InTransaction(connection: connection))
            try await connection.sql.raw("COMMIT").run()
            return result
        } catch {
            try? await connection.sql.raw("ROLLBACK").run()
            throw error
        }
    }

    /// One connection, known to be inside a transaction, so nothing nested begins another.
    struct InTransaction: Database, SQLDatabase {
        let connection: any Database
        var context: DatabaseContext { connection.context }
        var inTransaction: Bool { true }
        var dialect: any SQLDialect { connection.sql.dialect }
        var version: (any SQLDatabaseReportedVersion)? { connection.sql.version }

        func execute(query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> Void)
            -> EventLoopFuture<Void>
        {
            connection.execute(query: query, onOutput: onOutput)
        }
        func execute(schema: DatabaseSchema) -> EventLoopFuture<Void> { connection.execute(schema: schema) }
        func execute(enum: DatabaseEnum) -> EventLoopFuture<Void> { connection.execute(enum: `enum`) }
        func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void)
            -> EventLoopFuture<Void>
        {
            connection.sql.execute(sql: query, onRow)
        }
        func transaction<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
            closure(self)
        }
        func withConnection<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<
            T
        > { closure(self) }
    }
}

extension Database {
    /// A transaction that, on SQLite, waits for this process's other write transactions to finish first.
    /// Inside `body` use only the database it is given: a write through another one would wait for this turn.
    func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        // Inside a transaction the turn is already held (the body may run in another task, so ask the database).
        if inTransaction { return try await transaction(body) }
        return try await JobBell.holding { held in
            try await outermostWriteTransaction { database in try await held.within { try await body(database) } }
        }
    }

    private func outermostWriteTransaction<T: Sendable>(
        _ body: @escaping @Sendable (any Database) async throws -> T
    ) async throws -> T {
        if sql.isPostgres { return try await transaction(body) }
        await SQLiteWriter.turn.take()
        do {
            let result = try await withConnection { try await SQLiteWriter.immediateTransaction(on: $0, body) }
            await SQLiteWriter.turn.give()
            return result
        } catch {
            await SQLiteWriter.turn.give()
            throw error
        }
    }
}

/// A connection held for one long piece of work, so that no request or job waits for it: on SQLite one
/// opened for the work (SQLite keeps one pooled connection per event loop, and holding it would stall
/// every request on that loop, or the job's own progress); on PostgreSQL one from the pool, which has several.
enum OwnConnection {
    static func run<T: Sendable>(
        _ store: Settings.Store, pooled db: any Database,
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        try await run(store, pooled: db) { sql, _ in try await body(sql) }
    }

    /// The driver's own connection under an `SQLDatabase`, for what SQL alone does not reach.
    enum Driver {
        case sqlite(SQLiteConnection)
        case postgres(PostgresConnection)
    }

    /// The same, giving `body` the driver's connection too.
    static func run<T: Sendable>(
        _ store: Settings.Store, pooled db: any Database,
        _ body: @escaping @Sendable (any SQLDatabase, Driver) async throws -> T
    ) async throws -> T {
        switch store {
        case .sqlite(let path):
            let connection = try await SQLiteConnection.open(storage: .file(path: path))
            do {
                let sql = connection.sql()
                try await sql.raw("PRAGMA busy_timeout = 10000").run()
                // A little more than SQLite's 2 MiB of pages for long work: a million incidents imported in
                // 45.6 s instead of 48.5 s at 119 MB peak; 64 MiB was no faster and took 250 MB.
                try await sql.raw("PRAGMA cache_size = -8192").run()
                let result = try await body(sql, .sqlite(connection))
                try await connection.close()
                return result
            } catch {
                try? await connection.close()
                throw error
            }
        case .postgres:
            return try await db.withConnection { database in
                // Fluent's database bound to one connection hands out that connection.
                let postgres = database as! any PostgresDatabase
                let connection = try await postgres.withConnection { $0.eventLoop.makeSucceededFuture($0) }.get()
                return try await body(database.sql, .postgres(connection))
            }
        }
    }

    /// A write transaction on the connection: on SQLite it waits its turn among this process's writers and
    /// takes the write lock from its start (see `SQLiteWriter`).
    static func writeTransaction<T: Sendable>(
        _ sql: any SQLDatabase, _ body: @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        let postgres = sql.isPostgres
        if !postgres { await SQLiteWriter.turn.take() }
        do {
            try await sql.raw(postgres ? "BEGIN" : "BEGIN IMMEDIATE").run()
            let result: T
            do {
                result = try await body(sql)
                try await sql.raw("COMMIT").run()
            } catch {
                try? await sql.raw("ROLLBACK").run()
                throw error
            }
            if !postgres { await SQLiteWriter.turn.give() }
            return result
        } catch {
            if !postgres { await SQLiteWriter.turn.give() }
            throw error
        }
    }
}

/// One read transaction that sees the whole database as it stood when it began, while others go on
/// writing: what a backup reads, so that rows written meanwhile are neither half in nor counted twice.
enum ReadSnapshot {
    static func run<T: Sendable>(
        _ store: Settings.Store, pooled db: any Database,
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        try await OwnConnection.run(store, pooled: db) { sql in
            try await sql.raw(sql.isPostgres ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN").run()
            do {
                let result = try await body(sql)
                try await sql.raw("COMMIT").run()
                return result
            } catch {
                try? await sql.raw("ROLLBACK").run()
                throw error
            }
        }
    }
}

extension SQLiteError {
    /// The database was held by another writer longer than a statement waits (`busy_timeout`).
    var isBusy: Bool {
        switch reason {
        case .busy, .locked, .busyTimeout, .busyInRecovery, .busyInSnapshot, .lockedBySharedCache: true
        default: false
        }
    }
}

extension SQLPredicateBuilder {
    /// `column IN (values)`; with no values, a condition no row meets. PostgreSQL refuses `IN ()`, which
    /// SQLite takes, so an empty list passed every test on SQLite and answered 500 on PostgreSQL.
    @discardableResult
    func `where`(_ column: any SQLExpression, in values: [some Encodable & Sendable]) -> Self {
        guard !values.isEmpty else { return self.where(SQLLiteral.boolean(false)) }
        return self.where(column, .in, SQLBind.group(values))
    }

    @discardableResult
    func `where`(_ column: String, in values: [some Encodable & Sendable]) -> Self {
        self.where(SQLIdentifier(column), in: values)
    }
}
