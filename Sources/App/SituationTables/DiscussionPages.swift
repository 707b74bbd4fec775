import SQLKit
import Vapor
import WellplanCore

/// A situation table's discussions on the web: listed and presented by the table's members, moved
/// through the lifecycle, and their compartment opened only by the assigned agencies, with a reason.
struct DiscussionPages: RouteCollection {

    func boot(routes: any RoutesBuilder) throws {
        routes.get("discussions", use: list)
        routes.get("discussions", "new", use: newForm)
        routes.post("discussions", use: create)
        routes.get("discussions", ":id", use: show)
        routes.get("discussions", ":id", "edit", use: editForm)
        routes.post("discussions", ":id", use: update)
        routes.post("discussions", ":id", "events", use: event)
        routes.get("discussions", ":id", "compartment", use: compartment)
        routes.post("discussions", ":id", "compartment", "open", use: openCompartment)
        routes.post("discussions", ":id", "compartment", use: sealCompartment)
        routes.get("tables", ":id", "meeting", use: meeting)
        routes.get("tables", ":id", "discussions.csv", use: export)
        routes.get("tables", ":id", "discussions", "import", use: importForm)
        routes.large(.POST, "tables", ":id", "discussions", "import", max: "20mb", use: importFile)
    }

    static var kind: RecordKind { .situationDiscussion }

    @Sendable func list(req: Request) async throws -> Response {
        try await req.authorizeSome(.read, Self.kind)
        let actor = try await req.actor()
        let (page, perPage) = try Paging.from(req)
        var tables = actor.tables
        if let text = req.query[String.self, at: "tableId"], let id = UUID(uuidString: text) {
            tables = tables.intersection([id])
        }
        let found = try await Discussions(db: req.db, author: req.author, settings: req.application.settings)
            .list(tables: tables, limit: perPage + 1, offset: (page - 1) * perPage)
        let items = found.prefix(perPage).map { d in
            ListPage.Item(
                href: SiteURL.record(.situationDiscussion, d.id).path, title: Self.summaryLine(d, req), detail: nil)
        }
        let query = req.query[String.self, at: "tableId"].map { "&tableId=\($0)" } ?? ""
        let content = ListPage(
            heading: req.text(Self.kind.pluralKey), items: Array(items),
            newHref: SiteURL.newRecord(.situationDiscussion).path + (query.isEmpty ? "" : "?" + query.dropFirst()),
            previousHref: page > 1 ? "?page=\(page - 1)\(query)" : nil,
            nextHref: found.count > perPage ? "?page=\(page + 1)\(query)" : nil)
        return try await req.page("records", title: content.heading, content)
    }

    @Sendable func newForm(req: Request) async throws -> Response {
        try await req.authorizeSome(.create, Self.kind)
        var values: [String: [String]] = ["presentedOn": [req.clock.today.description]]
        if let table = req.query[String.self, at: "tableId"] { values["tableId"] = [table] }
        return try await form(
            req, action: "/discussions", values: values, problems: [], status: .ok, cancel: "/discussions",
            creating: true)
    }

    @Sendable func create(req: Request) async throws -> Response {
        try await req.authorizeSome(.create, Self.kind)
        let values = req.formValues()
        do {
            let input = try RecordInput.parse(SituationDiscussion.self, form: values, id: UUID())
            try await req.authorize(.create, .record(Self.kind, owningTable: input.tableId))
            let discussion = try await Discussions(db: req.db, author: req.author, settings: req.application.settings)
                .present(input)
            return req.redirect(to: SiteURL.record(.situationDiscussion, discussion.id).path, redirectType: .normal)
        } catch WellplanError.invalid(let problems) {
            return try await form(
                req, action: "/discussions", values: values, problems: problems, status: .unprocessableEntity,
                cancel: "/discussions", creating: true)
        }
    }

    @Sendable func editForm(req: Request) async throws -> Response {
        let d = try await Self.authorized(req, .update)
        return try await form(
            req, action: SiteURL.record(.situationDiscussion, d.id).path, values: RecordInput.formValues(d),
            problems: [], status: .ok,
            cancel: SiteURL.record(.situationDiscussion, d.id).path, creating: false)
    }

    @Sendable func update(req: Request) async throws -> Response {
        let before = try await Self.authorized(req, .update)
        let values = req.formValues()
        do {
            var merged = RecordInput.formValues(before)
            for field in SituationDiscussion.describingFields { merged[field.name] = values[field.name] ?? [] }
            let parsed = try RecordInput.parse(SituationDiscussion.self, form: merged, id: before.id)
            let describing = Set(SituationDiscussion.describingFields.map(\.name))
            _ = try await Discussions(db: req.db, author: req.author, settings: req.application.settings)
                .describe(before, with: parsed.values.filter { describing.contains($0.key) }.mapValues(\.json))
            return req.redirect(to: SiteURL.record(.situationDiscussion, before.id).path, redirectType: .normal)
        } catch WellplanError.invalid(let problems) {
            return try await form(
                req, action: SiteURL.record(.situationDiscussion, before.id).path, values: values, problems: problems,
                status: .unprocessableEntity,
                cancel: SiteURL.record(.situationDiscussion, before.id).path, creating: false)
        }
    }

    @Sendable func event(req: Request) async throws -> Response {
        let before = try await Self.authorized(req, .update)
        let values = req.formValues()
        do {
            let event = try DiscussionInput.event(values, today: req.clock.today)
            _ = try await Discussions(db: req.db, author: req.author, settings: req.application.settings).apply(
                event, to: before)
            return req.redirect(to: SiteURL.record(.situationDiscussion, before.id).path, redirectType: .normal)
        } catch WellplanError.invalid(let problems) {
            return try await showPage(req, before, problems: problems, status: .unprocessableEntity)
        }
    }

    @Sendable func show(req: Request) async throws -> Response {
        try await showPage(req, try await Self.authorized(req, .read), problems: [], status: .ok)
    }

    struct ShowPage: Encodable {
        struct EventForm: Encodable {
            let event: String
            let label: String
            let fields: [RecordView.FormField]
        }
        let id: UUID
        let eventsAction: String
        let heading: String
        let statusLabel: String
        let rows: [RecordView.Row]
        let lifecycleRows: [RecordView.Row]
        let editHref: String?
        let events: [EventForm]
        let problems: [ErrorResponses.Body.Problem]
        let compartmentHref: String?
        let tableHref: String
        let timeline: [PlanExtras.TimelineRow]
    }

    func showPage(_ req: Request, _ d: SituationDiscussion, problems: [FieldProblem], status: HTTPStatus) async throws
        -> Response
    {
        let view = RecordView(req: req)
        let actor = try await req.actor()
        let writable = AccessPolicy.permits(actor, .update, .record(Self.kind, owningTable: d.tableId))
        let submitted = req.formValues()
        var events: [ShowPage.EventForm] = []
        if writable {
            for name in DiscussionLifecycle.allowedEvents(from: d.lifecycleStatus) {
                let fields: [RecordField] =
                    switch name {
                    case "accept": [.init("acceptedOn", .day, required: true)]
                    case "plan_intervention":
                        [
                            .init("leadOrganizationId", .reference(.organization), required: true),
                            .init("assistingOrganizationIds", .references(.organization)),
                            .init("firstContactPlannedOn", .day, required: true),
                        ]
                    case "record_first_contact": [.init("firstContactOn", .day, required: true)]
                    case "conclude":
                        [
                            .init("conclusionOutcome", .choice(.conclusionOutcomes), required: true),
                            .init("conclusionReason", .choice(.conclusionReasons), required: true),
                            .init("concludedOn", .day, required: true),
                        ]
                    default: []
                    }
                var values = submitted.first { $0.key == "event" }?.value.first == name ? submitted : [:]
                for field in fields where field.kind == .day && values[field.name] == nil {
                    values[field.name] = [req.clock.today.description]
                }
                let own = submitted["event"]?.first == name ? problems : []
                events.append(
                    .init(
                        event: name, label: req.text("event_\(name)"),
                        fields: try await view.formFields(fields, values: values, problems: own)))
            }
        }
        let assigned = AccessPolicy.permits(actor, .read, .compartment(assignedTo: d.assignedOrganizations))
        let describing = SituationDiscussion.describingFields.map(\.name)
        let content = ShowPage(
            id: d.id, eventsAction: SiteURL.discussionEvents(d.id).path, heading: d.title(req.language),
            statusLabel: CodeList.discussionStatuses.label(d.lifecycleStatus.rawValue, req.language),
            rows: try await view.rows(d, only: ["tableId", "number"] + describing),
            lifecycleRows: try await view.rows(
                d, only: SituationDiscussion.lifecycleFields.map(\.name).filter { $0 != "status" }),
            editHref: writable && d.lifecycleStatus != .concluded
                ? SiteURL.editRecord(.situationDiscussion, d.id).path : nil,
            events: events,
            problems: req.shown(problems),
            compartmentHref: assigned && d.lifecycleStatus != .presented
                ? SiteURL.discussionCompartment(d.id).path : nil,
            tableHref: SiteURL.table(d.tableId, .meeting).path,
            timeline: try await StatusTimeline.entries(on: req.sql, recordIds: [d.id]).map { entry in
                PlanExtras.TimelineRow(
                    at: entry.at.minute, what: d.title(req.language),
                    from: entry.fromStatus.map { CodeList.discussionStatuses.label($0, req.language) } ?? "—",
                    to: CodeList.discussionStatuses.label(entry.toStatus, req.language), by: entry.actorLabel)
            })
        _ = req.csrfToken
        return try await req.page("discussion", title: content.heading, status: status, content)
    }

    // MARK: The compartment

    struct CompartmentPage: Encodable {
        let heading: String
        let discussionHref: String
        let state: String
        let identifiers: [RecordView.Row]?
        let fields: [RecordView.FormField]?
        let problems: [ErrorResponses.Body.Problem]
        let reason: String
    }

    @Sendable func compartment(req: Request) async throws -> Response {
        let d = try await Self.authorizedCompartment(req)
        return try await compartmentPage(req, d, identifiers: nil, problems: [], status: .ok)
    }

    @Sendable func openCompartment(req: Request) async throws -> Response {
        let d = try await Self.authorizedCompartment(req)
        let values = req.formValues()
        do {
            let identifiers = try await Compartments(db: req.db, cipher: req.application.settings.compartmentCipher)
                .read(d, reason: values["reason"]?.first ?? "", req.author)
            return try await compartmentPage(req, d, identifiers: identifiers, problems: [], status: .ok)
        } catch WellplanError.invalid(let problems) {
            return try await compartmentPage(req, d, identifiers: nil, problems: problems, status: .unprocessableEntity)
        }
    }

    @Sendable func sealCompartment(req: Request) async throws -> Response {
        let d = try await Self.authorizedCompartment(req, .update)
        let values = req.formValues()
        do {
            let identifiers = try DiscussionInput.identifiers(values)
            try await Compartments(db: req.db, cipher: req.application.settings.compartmentCipher)
                .write(identifiers, for: d, reason: values["reason"]?.first ?? "", req.author)
            return req.redirect(to: SiteURL.record(.situationDiscussion, d.id).path, redirectType: .normal)
        } catch WellplanError.invalid(let problems) {
            return try await compartmentPage(req, d, identifiers: nil, problems: problems, status: .unprocessableEntity)
        }
    }

    func compartmentPage(
        _ req: Request, _ d: SituationDiscussion, identifiers: LimitedIdentifiers?, problems: [FieldProblem],
        status: HTTPStatus
    ) async throws -> Response {
        let state = try await Compartments(db: req.db, cipher: nil).state(d.id)
        var rows: [RecordView.Row]?
        var fields: [RecordView.FormField]?
        if let identifiers {
            let texts = identifiers.texts
            rows = LimitedIdentifiers.fields.compactMap { field in
                texts[field.name].map {
                    RecordView.Row(label: req.text(field.labelKey), value: $0, href: nil, provisional: false)
                }
            }
        }
        if d.lifecycleStatus.isOpen, identifiers != nil || state == .empty || !problems.isEmpty {
            let values = (identifiers?.texts ?? [:]).mapValues { [$0] }
            fields = try await RecordView(req: req).formFields(
                LimitedIdentifiers.fields, values: values, problems: problems)
        }
        let content = CompartmentPage(
            heading: req.text("compartment_heading") + " · " + d.title(req.language),
            discussionHref: SiteURL.record(.situationDiscussion, d.id).path,
            state: "\(state)", identifiers: rows, fields: fields,
            problems: req.shown(problems), reason: "")
        _ = req.csrfToken
        return try await req.page("compartment", title: content.heading, status: status, content)
    }

    // MARK: The meeting view

    struct MeetingPage: Encodable {
        struct Item: Encodable {
            let href: String
            let title: String
            let detail: String
        }
        let heading: String
        let newSituations: [Item]
        let awaitingUpdates: [Item]
        let overdue: [Item]
        let newCount: Int
        let openCount: Int
        let overdueCount: Int
        let mobilized: Int
        let median: String?
        let within48: String?
        let presentHref: String
        let statisticsHref: String
        let exportHref: String
        let importHref: String
    }

    @Sendable func meeting(req: Request) async throws -> Response {
        guard let tableId = req.parameters.get("id", as: UUID.self) else { throw WellplanError.notFound("table") }
        try await req.authorize(.read, .record(Self.kind, owningTable: tableId))
        guard let table = try await Records(db: req.sql).find(PartnerTable.self, tableId) else {
            throw WellplanError.notFound("table")
        }
        let agenda = try await Self.agenda(req, tableId)
        func items(_ list: [SituationDiscussion]) -> [MeetingPage.Item] {
            list.map {
                .init(
                    href: SiteURL.record(.situationDiscussion, $0.id).path, title: $0.title(req.language),
                    detail: Self.summaryLine($0, req))
            }
        }
        let lang = req.language
        let content = MeetingPage(
            heading: req.text("meeting_heading") + " · " + (table.ownTitle(lang) ?? ""),
            newSituations: items(agenda.newSituations), awaitingUpdates: items(agenda.awaitingUpdates),
            overdue: items(agenda.overdueMobilizations),
            newCount: agenda.newSituations.count, openCount: agenda.awaitingUpdates.count,
            overdueCount: agenda.overdueMobilizations.count,
            mobilized: agenda.mobilization.count,
            median: agenda.mobilization.medianDays.map { WellplanCore.Progress.number($0, lang) },
            within48: agenda.mobilization.withinResponseTime.map {
                WellplanCore.Progress.number($0 * 100, lang) + " %"
            },
            presentHref: SiteURL.newRecord(.situationDiscussion, prefill: ["tableId": tableId.uuidString]).path,
            statisticsHref: SiteURL.table(tableId, .statistics).path,
            exportHref: SiteURL.table(tableId, .discussionsCSV).path,
            importHref: SiteURL.table(tableId, .discussionImport).path)
        return try await req.page("meeting", title: content.heading, content)
    }

    /// The agenda from the table's open discussions and the last twelve months' mobilizations.
    static func agenda(_ req: Request, _ tableId: UUID) async throws -> MeetingAgenda {
        let discussions = Discussions(db: req.db, author: req.author, settings: req.application.settings)
        var open: [SituationDiscussion] = []
        for status in [DiscussionStatus.presented, .accepted, .interventionPlanned, .active] {
            open += try await discussions.list(tables: [tableId], status: status, limit: 500, offset: 0)
        }
        let since = req.clock.today.adding(years: -1)
        let recent = try await Records(db: req.sql).db.select().column("*").from(Self.kind.table)
            .where("table_id", .equal, SQLBind(tableId)).where(
                "accepted_on", .greaterThanOrEqual, SQLBind(since.description)
            )
            .where("first_contact_on", .isNot, SQLLiteral.null)
            .all().map { try Records.record($0) as SituationDiscussion }
        return MeetingAgenda(open: open, recent: recent, today: req.clock.today)
    }

    // MARK: RTD export and import

    @Sendable func export(req: Request) async throws -> Response {
        let table = try await Self.situationTable(req, .read)
        return try await Self.csv(req, table)
    }

    /// The table's discussions as an RTD CSV download, for pages and API alike.
    static func csv(_ req: Request, _ table: PartnerTable) async throws -> Response {
        var text = ""
        try await Discussions(db: req.db, author: req.author, settings: req.application.settings).exportRTD(table.id) {
            text += $0
        }
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .contentDisposition, value: StoredFiles.disposition("rtd-\(table.id).csv"))
        return response
    }

    struct ImportPage: Encodable {
        let heading: String
        let action: String
        let meetingHref: String
        let columns: String
        let problems: [ErrorResponses.Body.Problem]
        let imported: Int?
    }

    @Sendable func importForm(req: Request) async throws -> Response {
        let table = try await Self.situationTable(req, .create)
        return try await importPage(req, table, problems: [], imported: nil, status: .ok)
    }

    @Sendable func importFile(req: Request) async throws -> Response {
        let table = try await Self.situationTable(req, .create)
        guard let csv = req.uploadedFile() else {
            return try await importPage(
                req, table, problems: [FieldProblem("file", "error_csv_empty")], imported: nil,
                status: .unprocessableEntity)
        }
        do {
            let n = try await Discussions(db: req.db, author: req.author, settings: req.application.settings)
                .importRTD(table, csv: csv)
            return try await importPage(req, table, problems: [], imported: n, status: .ok)
        } catch WellplanError.invalid(let problems) {
            return try await importPage(req, table, problems: problems, imported: nil, status: .unprocessableEntity)
        }
    }

    func importPage(_ req: Request, _ table: PartnerTable, problems: [FieldProblem], imported: Int?, status: HTTPStatus)
        async throws -> Response
    {
        let content = ImportPage(
            heading: req.text("rtd_import") + " · " + (table.ownTitle(req.language) ?? ""),
            action: SiteURL.table(table.id, .discussionImport).path,
            meetingHref: SiteURL.table(table.id, .meeting).path, columns: RTDFormat.columns.joined(separator: ", "),
            problems: problems.map { .init(field: $0.field, message: "\($0.field): \($0.message(req.language))") },
            imported: imported)
        _ = req.csrfToken
        return try await req.page("import", title: content.heading, status: status, content)
    }

    /// The situation table in the path, once the reader may do `action` to its discussions.
    static func situationTable(_ req: Request, _ action: Action) async throws -> PartnerTable {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw WellplanError.notFound("table") }
        try await req.authorize(action, .record(kind, owningTable: id))
        guard let table = try await Records(db: req.sql).find(PartnerTable.self, id) else {
            throw WellplanError.notFound("table")
        }
        return table
    }

    // MARK: Shared

    static func summaryLine(_ d: SituationDiscussion, _ req: Request) -> String {
        let lang = req.language
        return [
            d.title(lang), CodeList.discussionStatuses.label(d.lifecycleStatus.rawValue, lang),
            CodeList.discussionTypes.label(d.discussionType, lang),
            CodeList.ageBands.label(d.ageBand, lang), CodeList.genders.label(d.gender, lang),
        ].joined(separator: " · ")
    }

    private func form(
        _ req: Request, action: String, values: [String: [String]], problems: [FieldProblem], status: HTTPStatus,
        cancel: String, creating: Bool
    ) async throws -> Response {
        var list = SituationDiscussion.describingFields.map(\.description)
        if creating {
            // Only the tables the reader sits on can be chosen.
            let actor = try await req.actor()
            let tables = try await Records(db: req.sql).list(PartnerTable.self).filter {
                actor.tables.contains($0.id)
            }
            var fields = try await RecordView(req: req).formFields(list, values: values, problems: problems)
            let chosen = values["tableId"]?.first ?? ""
            fields.insert(
                .init(
                    name: "tableId", label: req.text("field_tableId"), control: "select", value: chosen, checked: false,
                    required: true,
                    maxLength: nil, step: nil,
                    options: tables.map {
                        .init(
                            value: $0.id.uuidString, label: $0.ownTitle(req.language) ?? "",
                            selected: $0.id.uuidString == chosen)
                    },
                    error: problems.first { $0.field == "tableId" }?.message(req.language)),
                at: 0)
            return try await render(req, fields, action, problems, status, cancel)
        }
        list.removeAll { $0.name == "tableId" }
        return try await render(
            req, try await RecordView(req: req).formFields(list, values: values, problems: problems), action, problems,
            status, cancel)
    }

    private func render(
        _ req: Request, _ fields: [RecordView.FormField], _ action: String, _ problems: [FieldProblem],
        _ status: HTTPStatus,
        _ cancel: String
    ) async throws -> Response {
        let content = FormPage(
            heading: req.text(Self.kind.labelKey), action: action, fields: fields,
            problems: req.shown(problems), cancelHref: cancel)
        _ = req.csrfToken
        return try await req.page("form", title: content.heading, status: status, content)
    }

    /// The discussion in the path, once the reader may do `action` to discussions of its table
    /// (`RecordScope` names a discussion's table as its owner).
    /// A read is audited: a discussion describes a person's situation.
    static func authorized(_ req: Request, _ action: Action) async throws -> SituationDiscussion {
        let discussion = try await req.authorizedRecord(SituationDiscussion.self, action)
        if action == .read, req.method == .GET { try await req.audit("read", kind.rawValue, discussion.id) }
        return discussion
    }

    /// The discussion in the path, once the reader's agency is its lead or an assisting agency.
    static func authorizedCompartment(_ req: Request, _ action: Action = .read) async throws -> SituationDiscussion {
        let d = try await authorized(req, .read)
        do {
            try await req.authorize(action, .compartment(assignedTo: d.assignedOrganizations))
        } catch WellplanError.forbidden {
            // An attempt on identifiers one's agency was not assigned is what an audit is for.
            try await req.audit("refused", "compartment", d.id)
            throw WellplanError.forbidden
        }
        return d
    }
}
