import Fluent
import SQLKit
import Vapor
import WellplanCore

/// `/code-lists`: every list with its version, entries and history; admins edit the situation-table lists.
struct CodeListPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("code-lists", use: index)
        routes.get("code-lists", ":name", use: show)
        routes.post("code-lists", ":name", use: change)
    }

    struct IndexPage: Encodable {
        struct Item: Encodable {
            let href: String
            let name: String
            let version: String
            let entries: Int
            let provisional: Int
            let editable: Bool
        }
        let items: [Item]
    }

    @Sendable func index(req: Request) async throws -> Response {
        try await req.authorize(.read, .referenceLists)
        let items = CodeList.all.values.sorted { $0.name < $1.name }.map { list in
            IndexPage.Item(
                href: SiteURL.codeList(list.name).path, name: list.name, version: list.version,
                entries: list.activeEntries.count,
                provisional: list.activeEntries.filter(\.isProvisional).count,
                editable: CodeList.adminEditable.contains(list.name))
        }
        return try await req.page("code-lists", title: req.text("code_lists_heading"), IndexPage(items: items))
    }

    struct ListPage: Encodable {
        struct Row: Encodable {
            let code: String
            let en: String
            let fr: String
            let group: String
            let state: String
        }
        struct Change: Encodable {
            let at: String
            let by: String
            let code: String
            let en: String
            let fr: String
            let state: String
        }
        let name: String
        let action: String
        let version: String
        let source: String
        let rows: [Row]
        let history: [Change]
        let mayEdit: Bool
        let problems: [ErrorResponses.Body.Problem]
        let groups: [RecordView.FormField.Option]
    }

    @Sendable func show(req: Request) async throws -> Response {
        try await req.authorize(.read, .referenceLists)
        return try await page(req, try Self.list(req), problems: [], status: .ok)
    }

    @Sendable func change(req: Request) async throws -> Response {
        try await req.authorize(.update, .referenceLists)
        let list = try Self.list(req)
        let values = req.formValues()
        func text(_ name: String) -> String { values[name]?.first?.trimmingCharacters(in: .whitespaces) ?? "" }
        let edit = CodeListEdit(
            list: list.name, code: text("code"), en: text("en"), fr: text("fr"), group: text("group").nilIfEmpty,
            provisional: text("state") == "provisional", retired: text("state") == "retired",
            changedBy: req.author.label, changedAt: req.clock.now)
        do {
            try await req.db.writeTransaction { tx in try await CodeLists(db: tx.sql).add(edit, req.author) }
            try await CodeLists(db: req.sql).load()
            return req.redirect(to: SiteURL.codeList(list.name).path, redirectType: .normal)
        } catch WellplanError.invalid(let problems) {
            return try await page(req, list, problems: problems, status: .unprocessableEntity)
        }
    }

    static func list(_ req: Request) throws -> CodeList {
        guard let name = req.parameters.get("name"), let list = CodeList.all[name] else {
            throw WellplanError.notFound("code list")
        }
        return list
    }

    static func state(_ provisional: Bool, _ retired: Bool, _ req: Request) -> String {
        if retired { return req.text("entry_retired") }
        return req.text(provisional ? "provisional" : "entry_confirmed")
    }

    func page(_ req: Request, _ list: CodeList, problems: [FieldProblem], status: HTTPStatus) async throws -> Response {
        let admin = AccessPolicy.permits(try await req.actor(), .update, .referenceLists)
        let content = ListPage(
            name: list.name, action: SiteURL.codeList(list.name).path, version: list.version,
            source: list.source ?? "",
            rows: list.entries.map {
                .init(
                    code: $0.code, en: $0.en, fr: $0.fr, group: $0.group ?? "",
                    state: Self.state($0.isProvisional, $0.isRetired, req))
            },
            history: try await CodeLists(db: req.sql).edits(of: list.name).reversed().map {
                .init(
                    at: $0.changedAt.minute, by: $0.changedBy, code: $0.code,
                    en: $0.en, fr: $0.fr, state: Self.state($0.provisional, $0.retired, req))
            },
            mayEdit: CodeList.adminEditable.contains(list.name) && admin,
            problems: problems.map {
                .init(field: $0.field, message: "\(req.text("field_" + $0.field)): \($0.message(req.language))")
            },
            groups: list.entries.filter { $0.group == nil && list.entries.contains(where: { e in e.group != nil }) }
                .map { .init(value: $0.code, label: $0.label(req.language), selected: false) })
        _ = req.csrfToken
        return try await req.page(
            "code-list", title: "\(req.text("code_lists_heading")) · \(list.name)", status: status, content)
    }
}
