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
    case .postgres(let url, let schema):
        var config = try SQLPostgresConfiguration(url: url)
        if let schema { config.searchPath = [schema] }
        app.databases.use(.postgres(configuration: config, sqlLogLevel: .debug), as: .psql)
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
