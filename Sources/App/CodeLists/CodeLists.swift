import Fluent
import SQLKit
import Vapor
import WellplanCore

/// The code lists' edits in the database, laid over the shipped lists at start and after each change.
struct CodeLists {
    let db: any SQLDatabase

    func edits(of list: String? = nil) async throws -> [CodeListEdit] {
        var query = db.select().column("*").from("code_list_edits")
        if let list { query = query.where("list", .equal, SQLBind(list)) }
        return try await query.orderBy("changed_at").orderBy("id").all(
            decoding: CodeListEdit.self, with: Records.decoder)
    }

    /// Reads every edit and lays them over the shipped lists.
    func load() async throws {
        CodeListEdits.apply(try await edits())
    }

    /// At start: a database without edits leaves the shipped lists as they are.
    func loadIfEdited() async throws {
        let edits = try await edits()
        if !edits.isEmpty { CodeListEdits.apply(edits) }
    }

    /// What tells one state of the edits from another without reading them. Edits are only ever added,
    /// so their number and the latest time change with each; a restore that put back other edits changes
    /// them too.
    func stamp() async throws -> String {
        let row = try await db.select()
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "edits")
            .column(SQLFunction("MAX", args: SQLColumn("changed_at")), as: "latest")
            .from("code_list_edits").first()
        let count = try row?.decode(column: "edits", as: Int.self) ?? 0
        let latest = try row?.decode(column: "latest", as: String?.self) ?? ""
        return "\(count)|\(latest)"
    }

    /// Lays the edits over the shipped lists again when their stamp is not `seen`, and returns the stamp
    /// now laid. The stamp is read before the edits, so an edit made in between is caught next time.
    func reload(unless seen: String?) async throws -> String {
        let now = try await stamp()
        if now != seen { try await load() }
        return now
    }

    func add(_ edit: CodeListEdit, _ author: Author) async throws {
        let problems = edit.problems()
        guard problems.isEmpty else { throw WellplanError.invalid(problems) }
        try await db.insert(into: "code_list_edits").model(edit, with: Records.encoder).run()
        try await AuditLog.append(on: db, author, "edit", "code_list", recordId: edit.list, after: AuditLog.json(edit))
    }
}

/// Keeps this server's code lists as the database has them, so an edit made on another server sharing
/// the database is in force here within `interval` (an edit made here is laid at once by its request).
/// A stamp is one aggregate over a small table, four a second, rather than a read of the edits per request.
struct CodeListWatch: LifecycleHandler {
    static let interval = Duration.milliseconds(250)

    let loop = BackgroundTask()

    func didBootAsync(_ app: Application) async throws {
        guard app.environment != .testing else { return }
        let lists = CodeLists(db: app.db.sql), logger = app.logger
        loop.start {
            var seen: String? = try? await lists.stamp()
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.interval)
                do {
                    seen = try await lists.reload(unless: seen)
                } catch {
                    logger.warning("code lists not read again: \(error)")
                }
            }
        }
    }

    func shutdownAsync(_ app: Application) async {
        await loop.stop()
    }
}
