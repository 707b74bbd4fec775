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
    }

    /// The discussions of `scope`, live.
    func tallies(_ scope: Scope) async throws -> DiscussionTallies {
        try await counted(scope, released: nil)[nil] ?? DiscussionTallies()
    }

    /// Each of `tables`' quarters from `first` on as released: the discussions `ReleasedQuarters` counted in it.
    func releasedTallies(
        _ tables: [UUID], from first: Period
    ) async throws -> [ReleasedQuarters.Release: DiscussionTallies] {
        let scope = Scope(tables: tables, from: .first, to: .last)
        var byRelease: [ReleasedQuarters.Release: DiscussionTallies] = [:]
        for (release, tallies) in try await counted(scope, released: first) {
            if let release { byRelease[release] = tallies }
        }
        return byRelease
    }

    /// The tallies of `scope`: live (keyed nil), or for each table's released quarter from `released` on.
    private func counted(
        _ scope: Scope, released: Period?
    ) async throws -> [ReleasedQuarters.Release?: DiscussionTallies] {
        var tallies: [ReleasedQuarters.Release?: DiscussionTallies] = [:]
        guard !scope.tables.isEmpty else { return tallies }
        let table = SituationDiscussion.kind.table
        let releases = ReleasedQuarters.discussions
        // When the scope is every situation table there is, a plain scan beats one index search per table.
        let situationTables =
            try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(
                PartnerTable.kind.table
            )
            .where("kind", .equal, SQLBind("situation_table")).first()?.decode(column: "n", as: Int.self) ?? 0
        let filtersTables = Set(scope.tables).count < situationTables

        typealias Counted = (release: ReleasedQuarters.Release?, row: any SQLRow, n: Int)
        func grouped(_ expressions: [any SQLExpression]) async throws -> [(ReleasedQuarters.Release?, [String?], Int)] {
            try await rows(expressions).map { release, row, n in
                (release, try expressions.indices.map { try row.decode(column: "k\($0)", as: String?.self) }, n)
            }
        }
        func rows(_ expressions: [any SQLExpression]) async throws -> [Counted] {
            var query = db.select().from(table)
            for (i, e) in expressions.enumerated() { query = query.column(SQLAlias(e, as: SQLIdentifier("k\(i)"))) }
            query = query.column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            if let released {
                // Each discussion as counted by the release it went out in.
                let releasedTable = SQLColumn("table_id", table: releases)
                let quarter = SQLColumn("quarter", table: releases)
                query = query.join(
                    SQLIdentifier(releases), on: SQLColumn("discussion_id", table: releases), .equal,
                    SQLColumn("id", table: table))
                query = query.column(SQLAlias(releasedTable, as: SQLIdentifier("released_table")))
                    .column(SQLAlias(quarter, as: SQLIdentifier("released_quarter")))
                    .where(releasedTable, in: scope.tables)
                    .where(quarter, .greaterThanOrEqual, SQLBind(released.description))
                    .groupBy(releasedTable).groupBy(quarter)
            } else if filtersTables {
                query = query.where("table_id", in: scope.tables)
            }
            query =
                query
                .where("presented_on", .greaterThanOrEqual, SQLBind(scope.from.description))
                .where("presented_on", .lessThanOrEqual, SQLBind(scope.to.description))
            for e in expressions { query = query.groupBy(e) }
            return try await query.all().map { row in
                var release: ReleasedQuarters.Release?
                if released != nil {
                    release = ReleasedQuarters.Release(
                        try row.decode(column: "released_table", as: UUID.self),
                        try row.decode(column: "released_quarter", as: String.self))
                }
                return (release, row, try row.decode(column: "n", as: Int.self))
            }
        }
        func column(_ name: String) -> SQLColumn { SQLColumn(name, table: table) }

        let month = SQLFunction(
            "SUBSTR", args: column("presented_on"), SQLLiteral.numeric("1"), SQLLiteral.numeric("7"))
        for (r, keys, n) in try await grouped([month]) {
            tallies[r, default: .init()].byMonth[keys[0] ?? "", default: 0] += n
        }
        for (r, keys, n) in try await grouped([column("status")]) {
            tallies[r, default: .init()].byStatus[keys[0] ?? DiscussionStatus.presented.rawValue, default: 0] += n
        }
        for (r, keys, n) in try await grouped([column("age_band"), column("gender")]) {
            tallies[r, default: .init()].byAgeAndGender[keys[0] ?? "unknown", default: [:]][
                keys[1] ?? "unknown", default: 0] += n
        }
        for (r, keys, n) in try await grouped([column("discussion_type")]) {
            tallies[r, default: .init()].byType[keys[0] ?? "", default: 0] += n
        }
        for (r, keys, n) in try await grouped([column("originating_sector")]) {
            tallies[r, default: .init()].originatingSectors[keys[0] ?? "", default: 0] += n
        }
        for (r, keys, n) in try await grouped([column("risk_factors")]) {
            guard let text = keys[0], !text.isEmpty else { continue }
            tallies[r, default: .init()].riskFactorSets[TagSet(joined: text), default: 0] += n
        }
        for (r, keys, n) in try await grouped([column("conclusion_reason")]) {
            if let reason = keys[0] { tallies[r, default: .init()].conclusionReasons[reason, default: 0] += n }
        }
        let sectors = try await organizationSectors()
        for (r, row, n) in try await rows([column("lead_organization_id")]) {
            if let id = try row.decode(column: "k0", as: UUID?.self), let sector = sectors[id] {
                tallies[r, default: .init()].leadSectors[sector, default: 0] += n
            }
        }
        for (r, keys, n) in try await grouped([column("assisting_organization_ids")]) {
            let inSectors = Set(
                TagSet(joined: keys[0] ?? "").codes.compactMap { UUID(uuidString: $0).flatMap { sectors[$0] } })
            for sector in inSectors { tallies[r, default: .init()].assistingSectors[sector, default: 0] += n }
        }
        // Days between two ISO dates, counted by the database in its own dialect.
        let days: any SQLExpression =
            db.isPostgres
            ? SQLRaw("(CAST(first_contact_on AS date) - CAST(accepted_on AS date))")
            : SQLRaw("CAST(julianday(first_contact_on) - julianday(accepted_on) AS INTEGER)")
        for (r, row, n) in try await rows([days]) {
            if let d = try row.decode(column: "k0", as: Int?.self) {
                tallies[r, default: .init()].mobilizationDays[d, default: 0] += n
            }
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
