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

    func add(_ edit: CodeListEdit, _ author: Author) async throws {
        let problems = edit.problems()
        guard problems.isEmpty else { throw WellplanError.invalid(problems) }
        try await db.insert(into: "code_list_edits").model(edit, with: Records.encoder).run()
        try await AuditLog.append(on: db, author, "edit", "code_list", recordId: edit.list, after: AuditLog.json(edit))
    }
}
