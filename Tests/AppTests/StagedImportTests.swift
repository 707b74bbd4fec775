import Foundation
import SQLKit
import Testing
import Vapor
import WellplanCore

@testable import App

/// Staged rows are written two ways: straight to the import's own connection (bound to SQLite's statement,
/// copied into PostgreSQL's table), and through SQLKit (rows written outside a staged import). Every kind of staged row, with values
/// and without, must land the same both ways; and a move into its empty table, which on SQLite drops the
/// table's plain indexes and makes them again, must leave every index as it was.
@Suite struct StagedImportTests {
    static let now = Timestamp(millisecondsSince1970: 1_544_000_000_123)

    /// Each row kind an import stages, with its table: one row full, one with every optional value empty.
    @Test func everyStagedRowLandsAlikeBothWaysAndItsMoveLeavesTheIndexes() async throws {
        let now = Self.now
        try await withApp { app in
            try await compare(
                app, "incidents",
                [
                    Incidents.Stored(
                        id: .random(), rowKey: "k", eventId: "E1", category: "assault", occurredAt: now,
                        occurredOn: now.day, longitude: -79.4, latitude: 43.7, areaCode: "023",
                        reportedArea: "A (1)", importId: .random()),
                    Incidents.Stored(
                        id: .random(), rowKey: "k#1", eventId: "É2 ", category: "robbery", occurredAt: now,
                        occurredOn: now.day, longitude: nil, latitude: nil, areaCode: nil, reportedArea: nil,
                        importId: .random()),
                ])
            try await compare(
                app, "incident_areas",
                [Incidents.Assignment(id: .random(), incidentId: .random(), layerId: .random(), areaId: .random())])
            try await compare(
                app, "observations",
                [
                    Observations.Stored(
                        .random(),
                        Observation(
                            period: .year(2024), areaCode: "3501", value: 0.125, numerator: 1, denominator: 8,
                            note: "preliminary"), at: now, id: .random()),
                    Observations.Stored(.random(), Observation(period: .quarter(2024, 2)), at: now, id: .random()),
                    Observations.Stored(
                        .random(),
                        Observation(
                            period: .month(2024, 3), areaCode: "35\t01", value: 1.5e-7, numerator: 3,
                            denominator: 20_000_000, note: "-0.5"), at: now, id: .random()),
                ])
            try await compare(
                app, "consultation_responses",
                [
                    ResponseImports.StoredResponse(
                        id: .random(), consultationId: .random(), methodId: .random(), sourceKey: "r1",
                        importedAt: now),
                    ResponseImports.StoredResponse(
                        id: .random(), consultationId: .random(), methodId: nil, sourceKey: "r2", importedAt: now),
                ])
            try await compare(
                app, "consultation_answers",
                [
                    ResponseImports.StoredAnswer(
                        id: .random(), responseId: .random(), questionId: .random(),
                        text: "Plus d’éclairage\nthe park"),
                    // What PostgreSQL's copy format would read as the end of a value or a row, or as null.
                    ResponseImports.StoredAnswer(
                        id: .random(), responseId: .random(), questionId: .random(),
                        text: "tab\there, back\\slash, \\N, \\., carriage\r\nreturn 🚲"),
                ])
        }
    }

    /// Pieces are written in the background while the import reads on: one that fails fails the import, and
    /// the import's next step says so.
    @Test func aPieceThatCannotBeWrittenFailsTheImport() async throws {
        try await withApp { app in
            let row = Incidents.Assignment(id: .random(), incidentId: .random(), layerId: .random(), areaId: .random())
            await #expect(throws: (any Error).self) {
                try await StagedImport.run(app.settings.store, pooled: app.db, tables: ["incident_areas"]) { staging in
                    try await staging.insert([row], into: "staged_no_such_table")
                    return try await staging.move { _ in 0 }
                }
            }
            let kept = try await StagedImport.count("incident_areas", app.db.sql)
            #expect(kept == 0)
        }
    }

    /// Writes the rows into the table's staging table both ways and expects the same rows; then, on SQLite,
    /// moves them into the table (the staged rows reference nothing real, which only PostgreSQL checks).
    func compare<R: StagedImport.Row & Sendable>(_ app: Application, _ table: String, _ rows: [R]) async throws {
        let indexesBefore = try await indexDefinitions(app.db.sql)
        let written = try await StagedImport.run(app.settings.store, pooled: app.db, tables: [table]) { staging in
            let staged = StagedImport.staged(table)
            try await staging.insert(rows, into: staged)
            let sql = try await staging.database()
            let straight = try await Self.read(staged, R.columns, sql)
            try await sql.raw("DELETE FROM \(ident: staged)").run()
            try await StagedImport.insert(rows, into: staged, on: sql)
            let throughSQLKit = try await Self.read(staged, R.columns, sql)
            let moved =
                sql.isPostgres
                ? rows.count : try await staging.move { try await StagedImport.move(table, nil, on: $0) }
            return (straight, throughSQLKit, moved)
        }
        #expect(written.0.count == rows.count, "\(table)")
        #expect(written.0 == written.1, "\(table)")
        #expect(written.2 == rows.count, "\(table)")
        #expect(try await indexDefinitions(app.db.sql) == indexesBefore, "\(table)")
        #expect(indexesBefore.contains { $0.contains(table) }, "\(table)")
    }

    /// The table's rows, each value quoted as the database holds it (its kind shows: text quoted, numbers not).
    static func read(_ table: String, _ columns: [String], _ sql: any SQLDatabase) async throws -> [String] {
        let quote = sql.isPostgres ? "quote_nullable" : "quote"
        let line = columns.map { "\(quote)(\($0))" }.joined(separator: " || '|' || ")
        return try await sql.raw(SQLQueryString("SELECT \(line) AS line FROM \(table) ORDER BY 1")).all().map {
            try $0.decode(column: "line", as: String.self)
        }
    }
}

/// Every index with its definition.
func indexDefinitions(_ sql: any SQLDatabase) async throws -> [String] {
    let query =
        sql.isPostgres
        ? "SELECT indexname || ' ' || indexdef AS d FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1"
        : "SELECT name || ' ' || COALESCE(sql, '') AS d FROM sqlite_master WHERE type = 'index' ORDER BY 1"
    return try await sql.raw(SQLQueryString(query)).all().map { try $0.decode(column: "d", as: String.self) }
}
