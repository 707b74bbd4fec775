import Vapor
import WellplanCore

/// The list, page and forms of every kind of record, from one generic controller.
struct RecordPages<R: Record>: RouteCollection {
    static var kind: RecordKind { R.kind }

    func boot(routes: any RoutesBuilder) throws {
        let path = PathComponent(stringLiteral: Self.kind.path)
        routes.get(path, use: list)
        routes.get(path, "new", use: newForm)
        routes.post(path, use: create)
        routes.get(path, ":id", use: show)
        routes.get(path, ":id", "edit", use: editForm)
        routes.post(path, ":id", use: update)
        routes.post(path, ":id", "delete", use: delete)
    }

    struct ShowPage: Encodable {
        struct Child: Encodable {
            let heading: String
            let items: [ListPage.Item]
            let addHref: String?
        }
        let kindLabel: String
        let heading: String
        let rows: [RecordView.Row]
        let editHref: String?
        let deleteAction: String?
        let children: [Child]
        let extra: PlanExtras?
    }

    @Sendable func list(req: Request) async throws -> Response {
        try await req.authorize(.read, .record(Self.kind, owningTable: nil))
        let (page, perPage) = try Paging.from(req)
        let filters = Self.filters(req)
        let store = Records(db: req.sql)
        let records = try await store.list(R.self, filters: filters, limit: perPage + 1, offset: (page - 1) * perPage)
        let shown = Array(records.prefix(perPage))
        let titles = try await Titles.load(for: shown, store, req.language)
        let items = shown.map {
            ListPage.Item(href: SiteURL.record(Self.kind, $0.id).path, title: titles.of($0), detail: nil)
        }
        let query = filters.map { "&\($0.key)=\($0.value)" }.joined()
        let content = ListPage(
            heading: req.text(Self.kind.pluralKey), items: items,
            newHref: AccessPolicy.permitsSome(try await req.actor(), .create, Self.kind)
                ? SiteURL.newRecord(Self.kind).path : nil,
            previousHref: page > 1 ? "?page=\(page - 1)\(query)" : nil,
            nextHref: records.count > perPage ? "?page=\(page + 1)\(query)" : nil)
        return try await req.page("records", title: content.heading, content)
    }

    @Sendable func show(req: Request) async throws -> Response {
        try await req.authorize(.read, .record(Self.kind, owningTable: nil))
        let record = try await req.record(R.self)
        let store = Records(db: req.sql)
        let actor = try await req.actor()
        let table = try await RecordScope.owningTable(of: record, store)
        var children: [ShowPage.Child] = []
        for other in RecordKind.allCases {
            for field in other.fields where field.kind == .reference(Self.kind) {
                // A new child belongs to this project's lead table, or to this table.
                let childTable: UUID? =
                    switch Self.kind {
                    case .project: table
                    case .partnerTable: record.id
                    default: nil
                    }
                guard AccessPolicy.permits(actor, .read, .record(other, owningTable: childTable)) else { continue }
                func open<C: Record>(_ type: C.Type) async throws -> [ListPage.Item] {
                    let found = try await store.list(C.self, filters: [field.name: record.id], limit: 200)
                    let titles = try await Titles.load(for: found, store, req.language)
                    return found.map {
                        .init(
                            href: SiteURL.record(other, $0.id).path, title: titles.of($0, omitting: field.name),
                            detail: nil)
                    }
                }
                let items = try await open(other.recordType)
                let mayAdd = AccessPolicy.permits(actor, .create, .record(other, owningTable: childTable))
                if items.isEmpty && !mayAdd { continue }
                let heading =
                    req.text(other.pluralKey)
                    + (other.fields.filter { $0.kind == .reference(Self.kind) }.count > 1
                        ? " (\(req.text(field.labelKey)))" : "")
                children.append(
                    .init(
                        heading: heading, items: items,
                        addHref: mayAdd
                            ? SiteURL.newRecord(other, prefill: [field.name: record.id.uuidString]).path : nil))
            }
        }
        let titles = try await Titles.load(linkedFrom: record, store, req.language)
        let content = ShowPage(
            kindLabel: req.text(Self.kind.labelKey), heading: titles.of(record),
            rows: try await RecordView(req: req).rows(record, titles: titles),
            editHref: AccessPolicy.permits(actor, .update, .record(Self.kind, owningTable: table))
                ? SiteURL.editRecord(Self.kind, record.id).path : nil,
            deleteAction: AccessPolicy.permits(actor, .delete, .record(Self.kind, owningTable: table))
                ? SiteURL.deleteRecord(Self.kind, record.id).path : nil,
            children: children,
            extra: try await PlanExtras.load(for: record, req))
        return try await req.page("record", title: content.heading, content)
    }

    @Sendable func newForm(req: Request) async throws -> Response {
        try await req.authorizeSome(.create, Self.kind)
        let prefill = RecordInput.formDefaults(Self.kind.fields).merging(
            Self.filters(req).mapValues { [$0.uuidString] }
        ) { _, given in given }
        return try await form(
            req, action: SiteURL.records(Self.kind).path, values: prefill, problems: [], status: .ok,
            cancel: SiteURL.records(Self.kind).path)
    }

    @Sendable func editForm(req: Request) async throws -> Response {
        let record = try await req.authorizedRecord(R.self, .update)
        return try await form(
            req, action: SiteURL.record(Self.kind, record.id).path, values: RecordInput.formValues(record),
            problems: [], status: .ok, cancel: SiteURL.record(Self.kind, record.id).path)
    }

    @Sendable func create(req: Request) async throws -> Response {
        try await req.authorizeSome(.create, Self.kind)
        let values = req.formValues()
        do {
            let record = try RecordInput.parse(R.self, form: values, id: UUID())
            let table = try await RecordScope.owningTable(of: record, Records(db: req.sql))
            try await req.authorize(.create, .record(Self.kind, owningTable: table))
            try await RecordWriter(db: req.db, author: req.author).create(record)
            return req.redirect(to: SiteURL.record(Self.kind, record.id).path, redirectType: .normal)
        } catch WellplanError.invalid(let problems) {
            return try await form(
                req, action: SiteURL.records(Self.kind).path, values: values, problems: problems,
                status: .unprocessableEntity, cancel: SiteURL.records(Self.kind).path)
        }
    }

    @Sendable func update(req: Request) async throws -> Response {
        let before = try await req.authorizedRecord(R.self, .update)
        let store = Records(db: req.sql)
        let values = req.formValues()
        do {
            let record = try RecordInput.parse(R.self, form: values, id: before.id)
            try await req.authorize(
                .update, .record(Self.kind, owningTable: try await RecordScope.owningTable(of: record, store)))
            try await RecordWriter(db: req.db, author: req.author).update(record, before: before)
            return req.redirect(to: SiteURL.record(Self.kind, record.id).path, redirectType: .normal)
        } catch WellplanError.invalid(let problems) {
            return try await form(
                req, action: SiteURL.record(Self.kind, before.id).path, values: values, problems: problems,
                status: .unprocessableEntity, cancel: SiteURL.record(Self.kind, before.id).path)
        }
    }

    @Sendable func delete(req: Request) async throws -> Response {
        let record = try await req.authorizedRecord(R.self, .delete)
        try await RecordWriter(db: req.db, author: req.author).delete(record)
        return req.redirect(to: SiteURL.records(Self.kind).path, redirectType: .normal)
    }

    private func form(
        _ req: Request, action: String, values: [String: [String]], problems: [FieldProblem],
        status: HTTPStatus, cancel: String
    ) async throws -> Response {
        let fields = try await RecordView(req: req).formFields(Self.kind, values: values, problems: problems)
        let content = FormPage(
            heading: req.text(Self.kind.labelKey), action: action, fields: fields,
            problems: req.shown(problems), cancelHref: cancel)
        _ = req.csrfToken
        return try await req.page("form", title: content.heading, status: status, content)
    }

    /// The record in the path, once the reader may do `action` to it: first to some record of the kind
    /// (so the public learns nothing of which ids exist), then to this one in its owning table.
    /// Reference fields given in the query (`?projectId=…`), for lists and pre-filled forms.
    static func filters(_ req: Request) -> [String: UUID] {
        var filters: [String: UUID] = [:]
        for field in Self.kind.fields {
            if case .reference = field.kind, let text = req.query[String.self, at: field.name],
                let id = UUID(uuidString: text)
            {
                filters[field.name] = id
            }
        }
        return filters
    }

    /// The submitted form as lists of values per field (checkbox groups send several).
}

/// A list of records with paging, as the `records` template shows it.
struct ListPage: Encodable {
    struct Item: Encodable {
        let href: String
        let title: String
        let detail: String?
    }
    let heading: String
    let items: [Item]
    let newHref: String?
    let previousHref: String?
    let nextHref: String?
}

/// A record's form, as the `form` template shows it.
struct FormPage: Encodable {
    let heading: String
    let action: String
    let fields: [RecordView.FormField]
    let problems: [ErrorResponses.Body.Problem]
    let cancelHref: String
}
