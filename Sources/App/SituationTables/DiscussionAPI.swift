import Vapor
import WellplanCore

/// `/api/v1/discussions`, their events and compartments, and situation-table statistics: the same
/// rules as the pages, through the same `Discussions`, `Compartments` and `DisclosurePolicy`.
struct DiscussionAPI: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("discussions", use: list)
        routes.post("discussions", use: create)
        routes.get("discussions", ":id", use: get)
        routes.put("discussions", ":id", use: describe)
        routes.post("discussions", ":id", "events", use: event)
        routes.post("discussions", ":id", "compartment", "read", use: readCompartment)
        routes.put("discussions", ":id", "compartment", use: sealCompartment)
        routes.get("tables", ":id", "meeting", use: meeting)
        routes.get("tables", ":id", "discussions.csv", use: export)
        routes.large(.POST, "tables", ":id", "discussions", "import", max: "20mb", use: importCSV)
        routes.get("tables", ":id", "statistics") { req in try await partnerStatistics(req, .table) }
        routes.get("plans", ":id", "situation-statistics") { req in try await partnerStatistics(req, .plan) }
        routes.get("public", "situation-tables", ":id", "statistics", use: publicStatistics)
    }

    func discussions(_ req: Request) -> Discussions {
        Discussions(db: req.db, author: req.author, settings: req.application.settings)
    }

    @Sendable func list(req: Request) async throws -> Response {
        try await req.authorizeSome(.read, .situationDiscussion)
        let (page, per) = try Paging.from(req)
        var tables = try await req.actor().tables
        if let text = req.query[String.self, at: "tableId"] {
            guard let id = UUID(uuidString: text) else {
                throw WellplanError.invalid([FieldProblem("tableId", "error_not_reference")])
            }
            tables = tables.intersection([id])
        }
        var status: DiscussionStatus?
        if let text = req.query[String.self, at: "status"] {
            guard let s = DiscussionStatus(rawValue: text) else {
                throw WellplanError.invalid([FieldProblem("status", "error_not_in_list", [text])])
            }
            status = s
        }
        let items = try await discussions(req).list(
            tables: tables, status: status, limit: per, offset: (page - 1) * per)
        let total = try await discussions(req).count(tables: tables, status: status)
        return try jsonResponse(
            RecordAPI<SituationDiscussion>.ListBody(items: items, metadata: .init(page: page, per: per, total: total)))
    }

    @Sendable func get(req: Request) async throws -> Response {
        try jsonResponse(try await DiscussionPages.authorized(req, .read))
    }

    @Sendable func create(req: Request) async throws -> Response {
        try await req.authorizeSome(.create, .situationDiscussion)
        var json = try req.jsonObject()
        let allowed = Set(["tableId"] + SituationDiscussion.describingFields.map(\.name))
        let refused = json.keys.sorted().filter { !allowed.contains($0) }
        if !refused.isEmpty { throw WellplanError.invalid(refused.map { FieldProblem($0, "error_not_editable") }) }
        json["status"] = nil
        let input = try RecordInput.parse(SituationDiscussion.self, json: json, id: UUID())
        try await req.authorize(.create, .record(.situationDiscussion, owningTable: input.tableId))
        let discussion = try await discussions(req).present(input)
        let response = try jsonResponse(discussion, status: .created)
        response.headers.replaceOrAdd(
            name: .location, value: SiteURL.apiRecord(.situationDiscussion, discussion.id).path)
        return response
    }

    @Sendable func describe(req: Request) async throws -> Response {
        let before = try await DiscussionPages.authorized(req, .update)
        return try jsonResponse(try await discussions(req).describe(before, with: try req.jsonObject()))
    }

    @Sendable func event(req: Request) async throws -> Response {
        let before = try await DiscussionPages.authorized(req, .update)
        let event = try DiscussionInput.event(DiscussionInput.lists(try req.jsonObject()), today: req.clock.today)
        return try jsonResponse(try await discussions(req).apply(event, to: before))
    }

    @Sendable func readCompartment(req: Request) async throws -> Response {
        let d = try await DiscussionPages.authorizedCompartment(req)
        let body = DiscussionInput.lists(try req.jsonObject())
        let identifiers = try await Compartments(db: req.db, cipher: req.application.settings.compartmentCipher)
            .read(d, reason: body["reason"]?.first ?? "", req.author)
        return try jsonResponse(identifiers)
    }

    @Sendable func sealCompartment(req: Request) async throws -> Response {
        let d = try await DiscussionPages.authorizedCompartment(req, .update)
        let body = DiscussionInput.lists(try req.jsonObject())
        let identifiers = try DiscussionInput.identifiers(body)
        try await Compartments(db: req.db, cipher: req.application.settings.compartmentCipher)
            .write(identifiers, for: d, reason: body["reason"]?.first ?? "", req.author)
        return Response(status: .noContent)
    }

    @Sendable func export(req: Request) async throws -> Response {
        try await DiscussionPages.csv(req, try await DiscussionPages.situationTable(req, .read))
    }

    struct ImportResult: Encodable {
        let imported: Int
    }

    /// A CSV body (`text/csv`) imported all-or-nothing; problems name their line and column.
    @Sendable func importCSV(req: Request) async throws -> Response {
        let table = try await DiscussionPages.situationTable(req, .create)
        let n = try await discussions(req).importRTD(table, csv: try req.csvBody())
        return try jsonResponse(ImportResult(imported: n), status: .created)
    }

    struct MeetingBody: Encodable {
        let newSituations: [SituationDiscussion]
        let awaitingUpdates: [SituationDiscussion]
        let overdueMobilizations: [SituationDiscussion]
        let mobilized: Int
        let medianMobilizationDays: Double?
        let mobilizedWithin48Hours: Double?
    }

    @Sendable func meeting(req: Request) async throws -> Response {
        guard let tableId = req.parameters.get("id", as: UUID.self) else { throw WellplanError.notFound("table") }
        try await req.authorize(.read, .record(.situationDiscussion, owningTable: tableId))
        let agenda = try await DiscussionPages.agenda(req, tableId)
        return try jsonResponse(
            MeetingBody(
                newSituations: agenda.newSituations, awaitingUpdates: agenda.awaitingUpdates,
                overdueMobilizations: agenda.overdueMobilizations,
                mobilized: agenda.mobilization.count, medianMobilizationDays: agenda.mobilization.medianDays,
                mobilizedWithin48Hours: agenda.mobilization.withinResponseTime))
    }

    func partnerStatistics(_ req: Request, _ over: StatisticsPages.Over) async throws -> Response {
        try await req.authorize(.read, .partnerStatistics)
        return try jsonResponse(try await StatisticsPages.statistics(req, over, audience: .partners).1)
    }

    @Sendable func publicStatistics(req: Request) async throws -> Response {
        try await req.authorize(.read, .publishedStatistics)
        return try jsonResponse(try await StatisticsPages.statistics(req, .table, audience: .publicRelease).1)
    }
}
