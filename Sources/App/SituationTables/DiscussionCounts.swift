import Foundation
import SQLKit
import WellplanCore

/// Counts discussions in the database with GROUP BY, so no discussion leaves it one by one; multi-valued
/// columns are grouped by their whole value and split here (there are far fewer sets than discussions).
struct DiscussionCounts {
    let db: any SQLDatabase

    struct Scope {
        var tables: [UUID]
        var from: Day
        var to: Day
        /// Only the discussions counted in this released quarter ("2025-Q2"; see `ReleasedQuarters`).
        var released: Period? = nil
    }

    func tallies(_ scope: Scope) async throws -> DiscussionTallies {
        var tallies = DiscussionTallies()
        guard !scope.tables.isEmpty else { return tallies }
        let table = SituationDiscussion.kind.table
        // When the scope is every situation table there is, a plain scan beats one index search per table.
        let situationTables =
            try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(
                PartnerTable.kind.table
            )
            .where("kind", .equal, SQLBind("situation_table")).first()?.decode(column: "n", as: Int.self) ?? 0
        let filtersTables = Set(scope.tables).count < situationTables

        func grouped(_ expressions: [any SQLExpression]) async throws -> [([String?], Int)] {
            try await rows(expressions).map { row, n in
                (try expressions.indices.map { try row.decode(column: "k\($0)", as: String?.self) }, n)
            }
        }
        func rows(_ expressions: [any SQLExpression]) async throws -> [(any SQLRow, Int)] {
            var query = db.select().from(table)
            for (i, e) in expressions.enumerated() { query = query.column(SQLAlias(e, as: SQLIdentifier("k\(i)"))) }
            query = query.column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            if filtersTables { query = query.where("table_id", .in, SQLBind.group(scope.tables)) }
            query =
                query
                .where("presented_on", .greaterThanOrEqual, SQLBind(scope.from.description))
                .where("presented_on", .lessThanOrEqual, SQLBind(scope.to.description))
            if let quarter = scope.released {
                let counted = SQLSubquery.select {
                    $0.column("discussion_id").from(ReleasedQuarters.discussions)
                        .where("quarter", .equal, SQLBind(quarter.description))
                        .where("table_id", .in, SQLBind.group(scope.tables))
                }
                query = query.where(SQLIdentifier("id"), .in, counted)
            }
            for e in expressions { query = query.groupBy(e) }
            return try await query.all().map { row in (row, try row.decode(column: "n", as: Int.self)) }
        }
        func column(_ name: String) -> SQLIdentifier { SQLIdentifier(name) }

        let month = SQLFunction(
            "SUBSTR", args: column("presented_on"), SQLLiteral.numeric("1"), SQLLiteral.numeric("7"))
        for (keys, n) in try await grouped([month]) { tallies.byMonth[keys[0] ?? "", default: 0] += n }
        for (keys, n) in try await grouped([column("status")]) {
            tallies.byStatus[keys[0] ?? DiscussionStatus.presented.rawValue, default: 0] += n
        }
        for (keys, n) in try await grouped([column("age_band"), column("gender")]) {
            tallies.byAgeAndGender[keys[0] ?? "unknown", default: [:]][keys[1] ?? "unknown", default: 0] += n
        }
        for (keys, n) in try await grouped([column("discussion_type")]) {
            tallies.byType[keys[0] ?? "", default: 0] += n
        }
        for (keys, n) in try await grouped([column("originating_sector")]) {
            tallies.originatingSectors[keys[0] ?? "", default: 0] += n
        }
        for (keys, n) in try await grouped([column("risk_factors")]) {
            guard let text = keys[0], !text.isEmpty else { continue }
            tallies.riskFactorSets[TagSet(joined: text), default: 0] += n
        }
        for (keys, n) in try await grouped([column("conclusion_reason")]) {
            if let reason = keys[0] { tallies.conclusionReasons[reason, default: 0] += n }
        }
        let sectors = try await organizationSectors()
        for (row, n) in try await rows([column("lead_organization_id")]) {
            if let id = try row.decode(column: "k0", as: UUID?.self), let sector = sectors[id] {
                tallies.leadSectors[sector, default: 0] += n
            }
        }
        for (keys, n) in try await grouped([column("assisting_organization_ids")]) {
            let inSectors = Set(
                TagSet(joined: keys[0] ?? "").codes.compactMap { UUID(uuidString: $0).flatMap { sectors[$0] } })
            for sector in inSectors { tallies.assistingSectors[sector, default: 0] += n }
        }
        // Days between two ISO dates, counted by the database in its own dialect.
        let days: any SQLExpression =
            db.isPostgres
            ? SQLRaw("(CAST(first_contact_on AS date) - CAST(accepted_on AS date))")
            : SQLRaw("CAST(julianday(first_contact_on) - julianday(accepted_on) AS INTEGER)")
        for (row, n) in try await rows([days]) {
            if let d = try row.decode(column: "k0", as: Int?.self) { tallies.mobilizationDays[d, default: 0] += n }
        }
        return tallies
    }

    private func organizationSectors() async throws -> [UUID: String] {
        var sectors: [UUID: String] = [:]
        for row in try await db.select().columns("id", "sector").from(Organization.kind.table).all() {
            sectors[try row.decode(column: "id", as: UUID.self)] = try row.decode(column: "sector", as: String.self)
        }
        return sectors
    }
}
