import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
import WellplanCore

@testable import App

/// Each test gets its own database: a temporary SQLite file, or, when `DATABASE_URL` is set,
/// a private schema on that PostgreSQL server. `scripts/test` runs the suite both ways.
enum TestDatabase {
    static func fresh() -> Settings.Store {
        postgresURL == nil ? freshSQLite() : freshPostgres()
    }

    /// The PostgreSQL server the suite runs on, when it does.
    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static func freshSQLite() -> Settings.Store {
        .sqlite(
            path: FileManager.default.temporaryDirectory.appendingPathComponent("wellplan-test-\(UUID()).sqlite").path)
    }

    static func freshPostgres() -> Settings.Store {
        .postgres(
            url: postgresURL!,
            schema: "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16))
    }

    /// What a SQLite database holds on disk: the file and its write-ahead log.
    static func bytes(_ path: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path))
            + ((try? Data(contentsOf: URL(fileURLWithPath: path + "-wal"))) ?? Data())
    }

    static func drop(_ store: Settings.Store, _ app: Application) async {
        switch store {
        case .sqlite(let path):
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        case .postgres(_, let schema?): try? await app.db.sql.raw("DROP SCHEMA \(ident: schema) CASCADE").run()
        case .postgres: break
        }
    }
}

/// The app on a fresh database. Compartments have a master key unless `masterKey` is false.
func withApp(
    store: Settings.Store? = nil, keep: Bool = false, masterKey: Bool = true, environment: Environment = .testing,
    settings change: (inout Settings) -> Void = { _ in },
    _ body: (Application) async throws -> Void
) async throws {
    let store = store ?? TestDatabase.fresh()
    let app = try await Application.make(environment)
    var settings = Settings(store: store, runsJobs: false)
    // On PostgreSQL the default would be the working folder, the package's own.
    settings.uploads = FileManager.default.temporaryDirectory.appendingPathComponent("wellplan-test-uploads")
    if masterKey { settings.compartmentCipher = try CompartmentCipher(base64: CompartmentCipher.newMasterKey()) }
    change(&settings)
    app.storage[Settings.Key.self] = settings
    do {
        try await configure(app)
        try await body(app)
    } catch {
        if !keep { await TestDatabase.drop(store, app) }
        try await app.asyncShutdown()
        throw error
    }
    if !keep { await TestDatabase.drop(store, app) }
    try await app.asyncShutdown()
}

/// A small region: one plan, two tables, a project led by each, and one account per role.
struct Fixture {
    let plan: Plan
    let tableA: PartnerTable, tableB: PartnerTable
    let projectA: Project, projectB: Project
    let person: Person
    let organization: Organization
    var tokens: [Role: String] = [:]

    static let password = "correct horse battery staple"

    static func make(_ app: Application) async throws -> Fixture {
        let w = RecordWriter(db: app.db, author: .commandLine)
        let plan = Plan(
            titleEn: "Test plan", titleFr: "Plan d'essai", municipality: "Testville", termStart: Day("2025-01-01")!,
            termEnd: Day("2028-12-31")!, adoptedOn: Day("2025-02-01")!)
        try await w.create(plan)
        let org = Organization(nameEn: "Test police", sector: "police")
        try await w.create(org)
        let person = Person(name: "Pat Member", organizationId: org.id)
        try await w.create(person)
        let a = PartnerTable(nameEn: "Table A", kind: .actionTable, planId: plan.id)
        let b = PartnerTable(nameEn: "Table B", kind: .workingGroup, planId: plan.id)
        try await w.create(a)
        try await w.create(b)
        try await w.create(Membership(tableId: a.id, personId: person.id, role: "member"))
        let pa = Project(planId: plan.id, leadTableId: a.id, titleEn: "Project A", status: .planned)
        let pb = Project(planId: plan.id, leadTableId: b.id, titleEn: "Project B")
        try await w.create(pa)
        try await w.create(pb)
        var fixture = Fixture(
            plan: plan, tableA: a, tableB: b, projectA: pa, projectB: pb, person: person, organization: org)
        let accounts = Accounts(db: app.db.sql, clock: app.clock)
        for role in Role.allCases {
            let user = try await accounts.create(
                email: "\(role.rawValue)@test.ca", name: role.rawValue.capitalized, role: role,
                passwordHash: try app.password.hash(password),
                personId: role == .member ? person.id : nil)
            fixture.tokens[role] = try await accounts.createToken(
                for: user, label: "test", expiresAt: app.clock.now.adding(seconds: 86_400)
            ).token
        }
        return fixture
    }
}

/// A browser-like session: cookies kept, the form token read from the last page.
final class Browser: @unchecked Sendable {
    let app: Application
    var cookies: [String: String] = [:]
    var csrf = ""
    var language = "en"

    init(_ app: Application) { self.app = app }

    @discardableResult
    func get(_ path: String) async throws -> TestingHTTPResponse {
        var result: TestingHTTPResponse!
        try await app.testing().test(.GET, path, beforeRequest: { req in self.prepare(&req) }) { res in
            self.keep(res)
            if let token = res.body.string.firstMatch(of: /name="_csrf" value="([^"]+)"/) {
                self.csrf = String(token.1)
            }
            result = res
        }
        return result
    }

    @discardableResult
    func post(_ path: String, _ fields: [(String, String)], withToken: Bool = true) async throws -> TestingHTTPResponse
    {
        var result: TestingHTTPResponse!
        let all = (withToken ? [("_csrf", csrf)] : []) + fields
        let body = all.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            .joined(separator: "&")
        try await app.testing().test(
            .POST, path,
            beforeRequest: { req in
                self.prepare(&req)
                req.headers.contentType = .urlEncodedForm
                req.body = ByteBuffer(string: body)
            }
        ) { res in
            self.keep(res)
            result = res
        }
        return result
    }

    func signIn(_ email: String, password: String = Fixture.password) async throws -> TestingHTTPResponse {
        try await get("/signin")
        return try await post("/signin", [("email", email), ("password", password), ("next", "/")])
    }

    private func prepare(_ req: inout TestingHTTPRequest) {
        if !cookies.isEmpty {
            req.headers.replaceOrAdd(
                name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        req.headers.replaceOrAdd(name: .acceptLanguage, value: language)
    }

    private func keep(_ res: TestingHTTPResponse) {
        for header in res.headers[.setCookie] {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1).map(String.init)
            if pair.count == 2 { cookies[pair[0]] = pair[1] }
        }
    }
}

/// An API call with a bearer token and a JSON body.
func api(
    _ app: Application, _ method: HTTPMethod, _ path: String, token: String?, json: String? = nil,
    contentType: HTTPMediaType = .json
) async throws -> TestingHTTPResponse {
    try await api(app, method, path, token: token, bytes: json.map { Data($0.utf8) }, contentType: contentType)
}

/// An API call with a bearer token and a body of any bytes (a picture, a PDF).
func api(
    _ app: Application, _ method: HTTPMethod, _ path: String, token: String?, bytes: Data?, contentType: HTTPMediaType
) async throws -> TestingHTTPResponse {
    var result: TestingHTTPResponse!
    try await app.testing().test(
        method, path,
        beforeRequest: { req in
            if let token { req.headers.bearerAuthorization = .init(token: token) }
            if let bytes {
                req.headers.contentType = contentType
                req.body = ByteBuffer(data: bytes)
            }
        }
    ) { result = $0 }
    return result
}

extension Application {
    /// A backup as `wellplan backup` writes it.
    @discardableResult
    func backup(
        to url: URL, pageSize: Int = 2_000, progress: @escaping @Sendable (Double, String) async -> Void = { _, _ in }
    ) async throws -> Backup.Summary {
        try await Backup.write(
            to: url, db: db, store: settings.store, auditKey: settings.auditKey, takenAt: clock.now, pageSize: pageSize,
            progress: progress)
    }

    /// A restore as `wellplan restore` runs it.
    @discardableResult
    func restore(from url: URL) async throws -> Backup.Summary {
        try await Backup.restore(from: url, db: db, auditKey: settings.auditKey) { _, _ in }
    }

    /// Every row of every table a backup holds, in one order whatever the database: what two databases
    /// are compared by. A yes/no reads as 0 or 1, as SQLite keeps it, so SQLite and PostgreSQL compare.
    func contents() async throws -> [String: [String]] {
        let sql = db.sql
        var tables: [String: [String]] = [:]
        for table in try await DatabaseCatalogue.read(sql).tables where !Backup.isExcluded(table.name) {
            let rows = try await sql.select().columns(table.columns.map { SQLIdentifier($0.name) }).from(table.name)
                .all()
            tables[table.name] = try rows.map { row in
                let values = try table.columns.map { column in
                    switch try Backup.value(row, column, postgres: sql.isPostgres) {
                    case .boolean(let b): BackupFile.Value.integer(b ? 1 : 0)
                    case let other: other
                    }
                }
                return String(decoding: BackupFile.rowLine(values), as: UTF8.self)
            }.sorted()
        }
        return tables
    }
}

/// A file in the temporary folder, removed when the test ends (with `defer`).
func temporaryFile(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID())")
}

/// A clock a test moves forward by hand, for the rules about time (sessions, tokens, releases).
final class MovingClock: @unchecked Sendable {
    private let lock = NSLock()
    private var date: Date

    /// Nine in the morning of `day`.
    init(_ day: Day) { date = day.date.addingTimeInterval(9 * 3600) }

    func advance(hours: Double) { lock.withLock { date += hours * 3600 } }

    var clock: Clock { Clock { [self] in lock.withLock { date } } }
}
