import Fluent
import Leaf
import Vapor
import WellplanCore

/// Sets up the whole server: database, migrations, sessions, views, middleware, routes, jobs, commands.
public func configure(_ app: Application) async throws {
    var settings = try app.storage[Settings.Key.self] ?? Settings(environment: app.environment)
    let demo = app.storage[DemoRegion.Key.self]
    if let demo, case .sqlite = settings.store {
        // The demo always starts from a fresh file of its own.
        try? FileManager.default.removeItem(atPath: demo.databasePath)
        settings.store = .sqlite(path: demo.databasePath)
        settings.auditAnchor = Settings.auditAnchor(beside: settings.store)
        try? FileManager.default.removeItem(at: settings.auditAnchor!)
    }
    if demo != nil, settings.compartmentCipher == nil {
        // The demo database is new at every start, so a key that lives as long as the process will do.
        settings.compartmentCipher = try CompartmentCipher(base64: CompartmentCipher.newMasterKey())
    }
    app.storage[Settings.Key.self] = settings
    try configureDatabase(app, settings)
    PageCache.configure(app)
    configureMigrations(app)
    configureSessions(app, settings)
    try configureViews(app)
    configureMiddleware(app)
    app.routes.defaultMaxBodySize = "1mb"
    app.passwords.use(app.environment == .testing ? .plaintext : .bcrypt)
    try routes(app)
    configureCommands(app)
    app.lifecycle.use(JobWorker())
    app.lifecycle.use(AuditAnchorKeeper())
    app.lifecycle.use(CodeListWatch())
    if case .postgres(_, let schema?) = settings.store {
        try await app.db.sql.raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run()
    }
    try await app.autoMigrate()
    try await SQLiteWriter.prepare(app)
    try await CodeLists(db: app.db.sql).loadIfEdited()
    if let demo { try await DemoRegion.load(into: app, demo) }
}
