import Fluent
import Foundation
import SQLKit
import WellplanCore

/// The one write path for situation discussions: numbered within their table, free text checked by the
/// identifier guard, moved only by the lifecycle, and each change audited without its values.
struct Discussions {
    let db: any Database
    let author: Author
    let settings: Settings

    var store: Records { Records(db: db.sql) }

    /// Presents a new discussion (Filter 2). Its number is the next in its table.
    func present(_ input: SituationDiscussion) async throws -> SituationDiscussion {
        var discussion = input
        discussion.status = .presented
        try await check(discussion)
        let presented = discussion
        return try await db.writeTransaction { tx in
            var discussion = presented
            // Writing the table's row first holds its lock (PostgreSQL) or the database's (SQLite) until commit,
            // so two presenters at one table take their numbers one after the other.
            try await tx.sql.update(PartnerTable.kind.table).set("kind", to: SQLIdentifier("kind"))
                .where("id", .equal, SQLBind(discussion.tableId)).run()
            let last = try await tx.sql.select().column(SQLFunction("MAX", args: SQLIdentifier("number")), as: "n")
                .from(SituationDiscussion.kind.table).where("table_id", .equal, SQLBind(discussion.tableId))
                .first()?.decode(column: "n", as: Int?.self)
            discussion.number = (last ?? 0) + 1
            try await RecordWriter(db: tx, author: author).create(discussion)
            return discussion
        }
    }

    /// Changes what describes the discussion; its table, number and lifecycle fields stay as they are.
    func describe(_ before: SituationDiscussion, with values: [String: JSONValue]) async throws -> SituationDiscussion {
        var merged = before.values.mapValues(\.json)
        let describing = Set(SituationDiscussion.describingFields.map(\.name))
        // A field the lifecycle sets may come back as it is (a client's GET then PUT), not changed.
        let changedElsewhere = values.keys.sorted().filter { key in
            !describing.contains(key) && key != "id" && (merged[key] ?? .null) != values[key]
        }
        var problems = changedElsewhere.map { FieldProblem($0, "error_not_editable") }
        if before.lifecycleStatus == .concluded {
            problems.append(FieldProblem("status", "error_transition_concluded"))
        }
        guard problems.isEmpty else { throw WellplanError.invalid(problems) }
        for field in SituationDiscussion.describingFields { merged[field.name] = values[field.name] ?? .null }
        let discussion = try RecordInput.parse(SituationDiscussion.self, json: merged, id: before.id)
        try await check(discussion)
        try await RecordWriter(db: db, author: author).update(discussion, before: before)
        return discussion
    }

    /// Moves the discussion through its lifecycle; a conclusion schedules its compartment's shredding.
    func apply(_ event: DiscussionEvent, to before: SituationDiscussion) async throws -> SituationDiscussion {
        let after = try DiscussionLifecycle.apply(event, to: before)
        try await check(after)
        try await RecordWriter(db: db, author: author).update(after, before: before)
        if case .conclude(_, _, let day) = event {
            try await Compartments(db: db, cipher: nil).scheduleShredding(
                after.id, on: day.adding(days: settings.shredAfterDays))
            _ = try await JobQueue.enqueue(ShredJob.self, payload: "", on: db.sql, author)
        }
        return after
    }

    /// The identifier guard over every free-text field, with the admin-managed names.
    private func check(_ discussion: SituationDiscussion) async throws {
        let guardian = try await GuardedNames(db: db.sql).guardian()
        let values = discussion.values
        let texts = SituationDiscussion.freeTextFields.map { ($0, values[$0]?.text) }
        let problems = guardian.problems(in: Dictionary(uniqueKeysWithValues: texts))
        if !problems.isEmpty { throw WellplanError.invalid(problems) }
    }

    func count(tables: Set<UUID>, status: DiscussionStatus? = nil) async throws -> Int {
        guard !tables.isEmpty else { return 0 }
        var query = db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(
            SituationDiscussion.kind.table
        )
        .where("table_id", in: Array(tables))
        if let status { query = query.where("status", .equal, SQLBind(status.rawValue)) }
        return try await query.first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Discussions of the given tables, newest first.
    func list(tables: Set<UUID>, status: DiscussionStatus? = nil, limit: Int, offset: Int) async throws
        -> [SituationDiscussion]
    {
        guard !tables.isEmpty else { return [] }
        var query = db.sql.select().column("*").from(SituationDiscussion.kind.table).where(
            "table_id", in: Array(tables))
        if let status { query = query.where("status", .equal, SQLBind(status.rawValue)) }
        return try await query.orderBy("presented_on", .descending).orderBy("number", .descending).limit(limit).offset(
            offset
        )
        .all(decoding: SituationDiscussion.self, with: Records.decoder)
    }
}

/// The names the identifier guard refuses: those shipped with Wellplan, plus those an admin added,
/// minus those an admin retired. Every change is kept with who made it and when.
struct GuardedNames {
    let db: any SQLDatabase

    struct Entry: Codable, Sendable {
        var id: UUID
        var name: String
        var active: Bool
        var changedBy: String
        var changedAt: Timestamp
    }

    func changes() async throws -> [Entry] {
        try await db.select().column("*").from("guarded_names").orderBy("name").all(
            decoding: Entry.self, with: Records.decoder)
    }

    func effective() async throws -> [String] {
        let changes = try await changes()
        let retired = Set(changes.filter { !$0.active }.map { $0.name.lowercased() })
        return (IdentifierGuard.shippedNames + changes.filter(\.active).map(\.name)).filter {
            !retired.contains($0.lowercased())
        }
    }

    /// The guard with these names, knowing the product's own agencies, tables and plans, and the names an
    /// admin retired, are not persons.
    func guardian() async throws -> IdentifierGuard {
        let store = Records(db: db)
        let organizations = try await store.list(Organization.self).flatMap {
            [$0.nameEn, $0.nameFr].compactMap { $0 }
        }
        let tables = try await store.list(PartnerTable.self).flatMap { [$0.nameEn, $0.nameFr].compactMap { $0 } }
        let plans = try await store.list(Plan.self).flatMap { [$0.municipality] }
        // A name an admin retired is not refused from the gazetteer either.
        let retired = try await changes().filter { !$0.active }.map(\.name)
        return IdentifierGuard(names: try await effective(), nonPersons: organizations + tables + plans + retired)
    }

    /// Adds (`active`) or retires a name, in one transaction with its audit entry.
    func set(_ name: String, active: Bool, _ author: Author) async throws {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 80, !name.contains(where: { $0.isNumber || $0 == "," }) else {
            throw WellplanError.invalid([FieldProblem("name", "error_not_a_name")])
        }
        try await db.delete(from: "guarded_names").where(
            SQLFunction("LOWER", args: SQLIdentifier("name")), .equal, SQLBind(name.lowercased())
        ).run()
        let entry = Entry(id: UUID(), name: name, active: active, changedBy: author.label, changedAt: author.now)
        try await db.insert(into: "guarded_names").model(entry, with: Records.encoder).run()
        try await AuditLog.append(
            on: db, author, active ? "add" : "retire", "guarded_name", after: AuditLog.json(["name": name]))
    }
}

extension Discussions {
    /// The agencies' names and sectors, for the RTD's agency columns.
    func agencies() async throws -> RTDFormat.Agencies {
        var agencies: RTDFormat.Agencies = [:]
        for org in try await store.list(Organization.self) { agencies[org.id] = (org.nameEn, org.sector) }
        return agencies
    }

    /// The table's discussions as RTD rows, a page at a time so memory stays flat.
    /// The export is a read of identifiable information, so it is audited first, in a write of its own.
    func exportRTD(_ table: UUID, write: (String) async throws -> Void) async throws {
        try await AuditLog.appendAlone(
            on: db, author, "export", SituationDiscussion.kind.rawValue, recordId: table.uuidString)
        let agencies = try await agencies()
        try await write(CSVWriter.line(RTDFormat.columns))
        var offset = 0
        while true {
            let page = try await db.sql.select().column("*").from(SituationDiscussion.kind.table).where(
                "table_id", .equal, SQLBind(table)
            )
            .orderBy("number").limit(1000).offset(offset).all(
                decoding: SituationDiscussion.self, with: Records.decoder)
            try await write(page.map { CSVWriter.line(RTDFormat.row($0, agencies: agencies)) }.joined())
            if page.count < 1000 { break }
            offset += page.count
        }
    }

    /// A table's earlier history from an RTD-style CSV: every row checked first, then all written in one
    /// transaction, or nothing at all.
    func importRTD(_ table: PartnerTable, csv: Data) async throws -> Int {
        let document = try CSVDocument(data: csv)
        let atTable = try await store.list(Membership.self, filters: ["tableId": table.id]).filter {
            $0.isActive(on: settings.clock.today)
        }.compactMap(\.organizationId)
        let taken = try await db.sql.select().column("number").from(SituationDiscussion.kind.table).where(
            "table_id", .equal, SQLBind(table.id)
        )
        .all().compactMap { try $0.decode(column: "number", as: Int?.self) }
        var importer = RTDHistoryImporter(
            table: table.id, agencies: try await agencies(), agenciesAtTable: atTable, takenNumbers: Set(taken),
            guardian: try await GuardedNames(db: db.sql).guardian())
        let items = try ImportPipeline.items(document, &importer)
        // Rows without a number take the next ones after every number already used.
        var next = max(taken.max() ?? 0, items.compactMap(\.number).max() ?? 0) + 1
        let numbered = items.map { item in
            var item = item
            if item.number == nil {
                item.number = next
                next += 1
            }
            return item
        }
        try await db.writeTransaction { tx in
            let writer = RecordWriter(db: tx, author: author)
            for item in numbered { try await writer.create(item) }
            try await AuditLog.append(
                on: tx.sql, author, "import", SituationDiscussion.kind.rawValue, recordId: table.id.uuidString,
                after: AuditLog.json(["rows": items.count]))
        }
        return items.count
    }
}
