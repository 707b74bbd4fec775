import Fluent
import Foundation
import SQLKit
import WellplanCore

/// Situation tables' quarters as released beyond the table: counted once, the first time a release
/// needs them, and kept. Later entries and edits change a table's own live statistics, never a
/// release; a discussion entered after its quarter came out is counted in the next quarter released.
/// So no two readings of the releases differ by one discussion, and none shows its profile.
struct ReleasedQuarters {
    static let quarters = "released_quarters"
    static let discussions = "released_discussions"

    let db: any Database
    /// The day releases are judged by (a quarter is out a month after it ends), and a release is dated by.
    let clock: Clock

    /// `tables[t]`'s tallies for `quarters[q]` as released: nothing for a quarter still running.
    /// Every table's quarters not yet released, up to the last one asked for, are released together.
    func tallies(_ tables: [UUID], _ quarters: [Period]) async throws -> [[DiscussionTallies]] {
        let out = quarters.filter { StatisticsRelease.isOut($0, today: clock.today) }
        // A plan with no situation table asks the database nothing.
        guard let last = out.max(), !tables.isEmpty else {
            return tables.map { _ in quarters.map { _ in DiscussionTallies() } }
        }
        var kept = try await self.kept(tables, out)
        let missing = tables.filter { table in out.contains { kept[Release(table, $0)] == nil } }
        if !missing.isEmpty {
            do {
                try await release(missing, through: last)
            } catch {
                // Another request released the same quarters at the same moment: theirs is the release.
                let theirs = try await self.kept(missing, out)
                guard missing.allSatisfy({ table in out.allSatisfy { theirs[Release(table, $0)] != nil } }) else {
                    throw error
                }
            }
            kept.merge(try await self.kept(missing, out)) { _, new in new }
        }
        // A quarter before a table's first release held no discussion then, and is empty for good.
        return tables.map { table in
            quarters.map { kept[Release(table, $0)] ?? DiscussionTallies() }
        }
    }

    /// One table's quarter.
    struct Release: Hashable {
        let table: UUID
        let quarter: String

        init(_ table: UUID, _ quarter: Period) { (self.table, self.quarter) = (table, quarter.description) }
        init(_ table: UUID, _ quarter: String) { (self.table, self.quarter) = (table, quarter) }
    }

    private func kept(_ tables: [UUID], _ quarters: [Period]) async throws -> [Release: DiscussionTallies] {
        let rows = try await db.sql.select().columns("table_id", "quarter", "tallies").from(Self.quarters)
            .where("table_id", in: tables)
            .where("quarter", in: quarters.map(\.description))
            .all()
        var kept: [Release: DiscussionTallies] = [:]
        for row in rows {
            let text = try row.decode(column: "tallies", as: String.self)
            let release = Release(
                try row.decode(column: "table_id", as: UUID.self), try row.decode(column: "quarter", as: String.self))
            kept[release] = try JSONDecoder().decode(DiscussionTallies.self, from: Data(text.utf8))
        }
        return kept
    }

    /// Releases every quarter of `tables` not yet released up to `last`: from the one after each table's
    /// latest release, or from its first discussion. A discussion goes to the quarter it was presented in,
    /// or to the first one released after it was entered; all are counted in one pass.
    private func release(_ tables: [UUID], through last: Period) async throws {
        try await db.writeTransaction { tx in
            let first = try await firstUnreleased(tables, tx.sql, else: last).filter { $0.value <= last }
            guard let earliest = first.values.min() else { return }
            let releasing = Array(first.keys)
            var batch: [(UUID, UUID, String)] = []
            for (id, table, presented) in try await unreleased(releasing, before: last.end, tx.sql) {
                let own = Day(presented).map { Period.quarter(containing: $0) } ?? first[table]!
                batch.append((id, table, max(own, first[table]!).description))
                if batch.count == 1_000 { try await count(&batch, tx.sql) }
            }
            try await count(&batch, tx.sql)
            let counted = try await DiscussionCounts(db: tx.sql).releasedTallies(releasing, from: earliest)
            var released: [(UUID, String, String)] = []
            for (table, from) in first {
                var quarter = from
                while quarter <= last {
                    let tallies = counted[Release(table, quarter)] ?? DiscussionTallies()
                    let text = String(decoding: try JSONEncoder().encode(tallies), as: UTF8.self)
                    released.append((table, quarter.description, text))
                    quarter = Period.quarter(containing: quarter.end)
                }
            }
            let now = clock.now.description
            // A few hundred rows a statement, within every database's limit on bound values.
            for start in stride(from: 0, to: released.count, by: 300) {
                var insert = tx.sql.insert(into: Self.quarters).columns("table_id", "quarter", "tallies", "released_at")
                for (table, quarter, text) in released[start..<min(start + 300, released.count)] {
                    insert = insert.values(SQLBind(table), SQLBind(quarter), SQLBind(text), SQLBind(now))
                }
                try await insert.run()
            }
        }
    }

    /// Each table's first quarter not yet released: the one after its latest release, or the one of its
    /// first discussion, or `fallback` for a table with neither.
    private func firstUnreleased(
        _ tables: [UUID], _ sql: any SQLDatabase, else fallback: Period
    ) async throws -> [UUID: Period] {
        var first = Dictionary(uniqueKeysWithValues: tables.map { ($0, fallback) })
        let started = try await sql.select().column("table_id")
            .column(SQLFunction("MIN", args: SQLIdentifier("presented_on")), as: "d")
            .from(SituationDiscussion.kind.table)
            .where("table_id", in: tables).groupBy("table_id").all()
        for row in started {
            guard let day = Day(try row.decode(column: "d", as: String.self)) else { continue }
            first[try row.decode(column: "table_id", as: UUID.self)] = Period.quarter(containing: day)
        }
        let latest = try await sql.select().column("table_id")
            .column(SQLFunction("MAX", args: SQLIdentifier("quarter")), as: "q")
            .from(Self.quarters)
            .where("table_id", in: tables).groupBy("table_id").all()
        for row in latest {
            guard let quarter = Period(try row.decode(column: "q", as: String.self)) else { continue }
            first[try row.decode(column: "table_id", as: UUID.self)] = Period.quarter(containing: quarter.end)
        }
        return first
    }

    /// The discussions of `tables` presented before `end` that no release has counted yet.
    private func unreleased(
        _ tables: [UUID], before end: Day, _ sql: any SQLDatabase
    ) async throws -> [(UUID, UUID, String)] {
        let counted = SQLSubquery.select {
            $0.column("discussion_id").from(Self.discussions).where("table_id", in: tables)
        }
        return try await sql.select().columns("id", "table_id", "presented_on")
            .from(SituationDiscussion.kind.table)
            .where("table_id", in: tables)
            .where("presented_on", .lessThan, SQLBind(end.description))
            .where(SQLIdentifier("id"), .notIn, counted)
            .all().map {
                (
                    try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "table_id", as: UUID.self),
                    try $0.decode(column: "presented_on", as: String.self)
                )
            }
    }

    /// Marks each discussion of `batch` as counted in its quarter, and empties the batch.
    private func count(_ batch: inout [(UUID, UUID, String)], _ sql: any SQLDatabase) async throws {
        guard !batch.isEmpty else { return }
        var insert = sql.insert(into: Self.discussions).columns("discussion_id", "table_id", "quarter")
        for (id, table, quarter) in batch { insert = insert.values(SQLBind(id), SQLBind(table), SQLBind(quarter)) }
        try await insert.run()
        batch.removeAll(keepingCapacity: true)
    }
}
