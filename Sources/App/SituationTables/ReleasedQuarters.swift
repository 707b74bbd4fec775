import Fluent
import Foundation
import SQLKit
import WellplanCore

/// A situation table's quarters as released beyond the table: counted once, the first time a release
/// needs them, and kept. Later entries and edits change the table's own live statistics, never a
/// release; a discussion entered after its quarter came out is counted in the next quarter released.
/// So no two readings of the releases differ by one discussion, and none shows its profile.
struct ReleasedQuarters {
    static let quarters = "released_quarters"
    static let discussions = "released_discussions"

    let db: any Database
    /// The day releases are judged by (a quarter is out a month after it ends), and a release is dated by.
    let clock: Clock

    /// `table`'s tallies for `quarter` as released: nothing while the quarter is still running.
    func tallies(_ table: UUID, _ quarter: Period) async throws -> DiscussionTallies {
        guard StatisticsRelease.isOut(quarter, today: clock.today) else { return DiscussionTallies() }
        if let kept = try await kept(table, quarter) { return kept }
        do {
            try await release(table, through: quarter)
        } catch {
            // Another request released the same quarter at the same moment: theirs is the release.
            guard try await kept(table, quarter) != nil else { throw error }
        }
        // A quarter before the table's first release held no discussion then, and is empty for good.
        return try await kept(table, quarter) ?? DiscussionTallies()
    }

    private func kept(_ table: UUID, _ quarter: Period) async throws -> DiscussionTallies? {
        let row = try await db.sql.select().column("tallies").from(Self.quarters)
            .where("table_id", .equal, SQLBind(table))
            .where("quarter", .equal, SQLBind(quarter.description))
            .first()
        guard let text = try row?.decode(column: "tallies", as: String.self) else { return nil }
        return try JSONDecoder().decode(DiscussionTallies.self, from: Data(text.utf8))
    }

    /// Releases, in order, every quarter of `table` not yet released up to `last`: from the one after the
    /// latest released, or from the table's first discussion.
    private func release(_ table: UUID, through last: Period) async throws {
        try await db.writeTransaction { tx in
            var next = try await firstUnreleased(table, tx.sql) ?? last
            while next <= last {
                try await release(table, next, tx.sql)
                next = Period.quarter(containing: next.end)
            }
        }
    }

    private func firstUnreleased(_ table: UUID, _ sql: any SQLDatabase) async throws -> Period? {
        let latest = try await sql.select().column(SQLFunction("MAX", args: SQLIdentifier("quarter")), as: "q").from(
            Self.quarters
        )
        .where("table_id", .equal, SQLBind(table)).first()?.decode(column: "q", as: String?.self)
        if let latest, let quarter = Period(latest) { return Period.quarter(containing: quarter.end) }
        let first = try await sql.select().column(SQLFunction("MIN", args: SQLIdentifier("presented_on")), as: "d")
            .from(SituationDiscussion.kind.table)
            .where("table_id", .equal, SQLBind(table)).first()?.decode(column: "d", as: String?.self)
        return first.flatMap { Day($0) }.map { Period.quarter(containing: $0) }
    }

    /// Counts in `quarter` every discussion presented before its end that no earlier release counted.
    private func release(_ table: UUID, _ quarter: Period, _ sql: any SQLDatabase) async throws {
        let counted = SQLSubquery.select {
            $0.column("discussion_id").from(Self.discussions).where("table_id", .equal, SQLBind(table))
        }
        let unreleased = try await sql.select().column("id").from(SituationDiscussion.kind.table)
            .where("table_id", .equal, SQLBind(table))
            .where("presented_on", .lessThan, SQLBind(quarter.end.description))
            .where(SQLIdentifier("id"), .notIn, counted)
            .all().map { try $0.decode(column: "id", as: UUID.self) }
        // A few hundred rows a statement, within every database's limit on bound values.
        for batch in stride(from: 0, to: unreleased.count, by: 300) {
            var insert = sql.insert(into: Self.discussions).columns("discussion_id", "table_id", "quarter")
            for id in unreleased[batch..<min(batch + 300, unreleased.count)] {
                insert = insert.values(SQLBind(id), SQLBind(table), SQLBind(quarter.description))
            }
            try await insert.run()
        }
        let scope = DiscussionCounts.Scope(
            tables: [table], from: .first, to: quarter.end.adding(days: -1), released: quarter)
        let tallies = try await DiscussionCounts(db: sql).tallies(scope)
        let text = String(decoding: try JSONEncoder().encode(tallies), as: UTF8.self)
        try await sql.insert(into: Self.quarters).columns("table_id", "quarter", "tallies", "released_at")
            .values(SQLBind(table), SQLBind(quarter.description), SQLBind(text), SQLBind(clock.now.description))
            .run()
    }
}
