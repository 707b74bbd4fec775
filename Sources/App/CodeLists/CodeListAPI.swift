import Fluent
import SQLKit
import Vapor
import WellplanCore

/// `/api/v1/code-lists`: the lists as they stand, and admins' edits.
struct CodeListAPI: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("code-lists", use: index)
        routes.get("code-lists", ":name", use: show)
        routes.post("code-lists", ":name", "entries", use: change)
    }

    struct Summary: Encodable {
        let name: String
        let version: String
        let editable: Bool
        let entries: [CodeList.Entry]
    }

    struct Detail: Encodable {
        let list: Summary
        let history: [CodeListEdit]
    }

    func summary(_ list: CodeList) -> Summary {
        Summary(
            name: list.name, version: list.version, editable: CodeList.adminEditable.contains(list.name),
            entries: list.entries)
    }

    @Sendable func index(req: Request) async throws -> Response {
        try await req.authorize(.read, .referenceLists)
        return try jsonResponse(CodeList.all.values.sorted { $0.name < $1.name }.map(summary))
    }

    @Sendable func show(req: Request) async throws -> Response {
        try await req.authorize(.read, .referenceLists)
        let list = try CodeListPages.list(req)
        return try jsonResponse(
            Detail(list: summary(list), history: try await CodeLists(db: req.sql).edits(of: list.name)))
    }

    @Sendable func change(req: Request) async throws -> Response {
        try await req.authorize(.update, .referenceLists)
        let list = try CodeListPages.list(req)
        let body = try req.jsonObject()
        let known: Set<String> = ["code", "en", "fr", "group", "provisional", "retired"]
        var problems = body.keys.sorted().filter { !known.contains($0) }.map { FieldProblem($0, "error_unknown_field") }
        func text(_ name: String) -> String {
            switch body[name] {
            case nil: return ""
            case .string(let text)?: return text.trimmingCharacters(in: .whitespaces)
            default:
                problems.append(FieldProblem(name, "error_not_text"))
                return ""
            }
        }
        func flag(_ name: String) -> Bool {
            switch body[name] {
            case nil: return false
            case .bool(let flag)?: return flag
            default:
                problems.append(FieldProblem(name, "error_not_flag"))
                return false
            }
        }
        let edit = CodeListEdit(
            list: list.name, code: text("code"), en: text("en"), fr: text("fr"), group: text("group").nilIfEmpty,
            provisional: flag("provisional"), retired: flag("retired"), changedBy: req.author.label,
            changedAt: req.clock.now)
        guard problems.isEmpty else { throw WellplanError.invalid(problems) }
        try await req.db.writeTransaction { tx in try await CodeLists(db: tx.sql).add(edit, req.author) }
        try await CodeLists(db: req.sql).load()
        return try jsonResponse(summary(list), status: .created)
    }
}
