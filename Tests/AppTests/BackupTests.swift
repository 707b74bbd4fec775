import Crypto
import Foundation
import SQLKit
import Testing
import Vapor
import WellplanCore

@testable import App

/// Backups hold every table the database's catalogue lists, restore row for row into any database
/// (empty, full, the other kind), see one moment while others write, and refuse any file that is not
/// whole, not theirs or not signed.
@Suite struct BackupTests {
    /// Generated from the catalogue, so a table a migration adds is in the backup or named here with its reason.
    @Test func everyTableIsBackedUpOrExcludedWithItsReason() async throws {
        let file = temporaryFile("backup")
        defer { try? FileManager.default.removeItem(at: file) }
        try await withApp { app in
            _ = try await Fixture.make(app)
            try await app.backup(to: file)
            let inFile = try tableLines(file).map(\.table)
            let catalogue = try await DatabaseCatalogue.read(app.db.sql)
            #expect(catalogue.tables.count > 50)
            for table in catalogue.tables {
                #expect(
                    inFile.contains(table.name) != Backup.isExcluded(table.name),
                    "\(table.name): in the backup, or excluded, not both")
                #expect(!table.primaryKey.isEmpty, "\(table.name) has no primary key to read it in order")
                #expect(
                    !table.references.contains(table.name),
                    "\(table.name) refers to its own rows, which a restore does not order")
            }
            // Parents before children, so the file inserts in its own order.
            #expect(inFile == catalogue.tables.map(\.name).filter { !Backup.isExcluded($0) })
            for exclusion in Backup.exclusions {
                let table = catalogue.table(exclusion.table)
                #expect(table != nil, "the exclusion of \(exclusion.table) names no table")
                #expect(exclusion.reason.count > 30)
                // A table a restore keeps may not refer to one it empties.
                if !exclusion.clearedOnRestore { #expect(table?.references.isEmpty == true) }
            }
        }
    }

    /// The demo, backed up and restored into an empty database and into one full of other data, holds the
    /// same rows in every table: the databases are compared, not two backups.
    @Test(arguments: [false, true]) func aDemoBackupRestoresRowForRow(overOtherData: Bool) async throws {
        let file = temporaryFile("backup")
        defer { try? FileManager.default.removeItem(at: file) }
        var source: [String: [String]] = [:]
        try await withApp { app in
            try await DemoRegion.load(into: app, .init(arguments: []))
            let summary = try await app.backup(to: file)
            source = try await app.contents()
            #expect(summary.rows == source.mapValues(\.count))
        }
        // The indicator figures and report files that the old hand-kept list of tables left out.
        #expect(source["observations"]?.isEmpty == false && source["report_files"]?.isEmpty == false)
        try await withApp { app in
            if overOtherData { try await DemoRegion.load(into: app, .init(arguments: [])) }
            try await app.restore(from: file)
            try expectSame(try await app.contents(), source, restored: true)
            #expect(try await AuditLog.firstBrokenLink(on: app.db.sql).broken == nil)
        }
    }

    /// A backup taken before codings kept their response and method (migration 29) restores with them.
    @Test func codingsFromABackupTakenBeforeTheyKeptTheirResponseAreGivenIt() async throws {
        let file = temporaryFile("backup"), older = temporaryFile("older")
        defer { for f in [file, older] { try? FileManager.default.removeItem(at: f) } }
        try await withApp { app in
            try await DemoRegion.load(into: app, .init(arguments: []))
            try await app.backup(to: file)
            let placed = "SELECT id, response_id, method_id FROM codings ORDER BY id"
            let before = try await app.db.sql.raw(SQLQueryString(placed)).all().map { row in
                try ["id", "response_id", "method_id"].map { try row.decode(column: $0, as: UUID?.self) }
            }
            #expect(!before.isEmpty && before.allSatisfy { $0[1] != nil })
            // The file as it was before: the codings' lines without the two columns.
            var removed = 0
            try forged(try Data(contentsOf: file)) { lines in
                guard
                    let start = lines.firstIndex(where: {
                        $0.hasPrefix(#"{"columns":"#) && $0.contains(#""table":"codings""#)
                    })
                else { return }
                var header = try! JSONSerialization.jsonObject(with: Data(lines[start].utf8)) as! [String: Any]
                var columns = header["columns"] as! [[String: Any]]
                let dropped = columns.indices.filter {
                    ["response_id", "method_id"].contains(columns[$0]["name"] as? String)
                }
                for i in dropped.reversed() { columns.remove(at: i) }
                removed = dropped.count
                header["columns"] = columns
                lines[start] = String(decoding: try! JSONSerialization.data(withJSONObject: header), as: UTF8.self)
                var n = start + 1
                while n < lines.count, lines[n].hasPrefix("[") {
                    var row = try! JSONSerialization.jsonObject(with: Data(lines[n].utf8)) as! [Any]
                    for i in dropped.reversed() { row.remove(at: i) }
                    lines[n] = String(decoding: try! JSONSerialization.data(withJSONObject: row), as: UTF8.self)
                    n += 1
                }
            }.write(to: older)
            #expect(removed == 2)
            try await app.restore(from: older)
            let after = try await app.db.sql.raw(SQLQueryString(placed)).all().map { row in
                try ["id", "response_id", "method_id"].map { try row.decode(column: $0, as: UUID?.self) }
            }
            #expect(after == before)
        }
    }

    /// SQLite → PostgreSQL → SQLite changes nothing (run where the suite has a PostgreSQL server).
    @Test(.enabled(if: TestDatabase.postgresURL != nil)) func sqliteToPostgresAndBackChangesNothing() async throws {
        let first = temporaryFile("backup"), second = temporaryFile("backup")
        defer { for f in [first, second] { try? FileManager.default.removeItem(at: f) } }
        var source: [String: [String]] = [:]
        try await withApp(store: TestDatabase.freshSQLite()) { app in
            try await DemoRegion.load(into: app, .init(arguments: []))
            try await app.backup(to: first)
            source = try await app.contents()
        }
        try await withApp(store: TestDatabase.freshPostgres()) { app in
            try await app.restore(from: first)
            try expectSame(try await app.contents(), source, restored: true)
            try await app.backup(to: second)
        }
        try await withApp(store: TestDatabase.freshSQLite()) { app in
            try await app.restore(from: second)
            var restored = try await app.contents()
            // Two restores, two entries of their own.
            restored["audit_entries"] = restored["audit_entries"]?.filter { !$0.contains(#""restore","database""#) }
            source["audit_entries"] = source["audit_entries"]?.filter { !$0.contains(#""restore","database""#) }
            try expectSame(restored, source, restored: false)
        }
    }

    /// Rows written and deleted while a backup reads, before and after its place in each table, are
    /// neither half in, nor twice, nor missing: the backup holds the database as it stood when it began.
    @Test func aBackupTakenWhileOthersWriteHoldsOneMoment() async throws {
        let file = temporaryFile("backup")
        defer { try? FileManager.default.removeItem(at: file) }
        var atStart: [String: [String]] = [:]
        try await withApp { app in
            _ = try await Fixture.make(app)
            let writer = RecordWriter(db: app.db, author: .commandLine)
            var doomed: [Organization] = []
            for i in 0..<40 {
                let organization = Organization(nameEn: "Organization \(i)", sector: "police")
                try await writer.create(organization)
                doomed.append(organization)
            }
            atStart = try await app.contents()
            let meanwhile = Meanwhile(doomed)
            try await app.backup(to: file, pageSize: 7) { _, table in
                guard table == "organizations" else { return }
                await meanwhile.write(writer)
            }
            #expect(await meanwhile.pages > 4)
            #expect(try await app.contents() != atStart)
        }
        try await withApp { app in
            try await app.restore(from: file)
            try expectSame(try await app.contents(), atStart, restored: true)
        }
    }

    actor Meanwhile {
        var doomed: [Organization]
        var pages = 0
        init(_ doomed: [Organization]) { self.doomed = doomed }

        func write(_ writer: RecordWriter) async {
            pages += 1
            try? await writer.create(Organization(nameEn: "Added during the backup \(pages)", sector: "health"))
            if let gone = doomed.popLast() { try? await writer.delete(gone) }
        }
    }

    /// Cut at every line, cut inside a line, a byte changed, a line added after the end, a row removed with
    /// the checksum worked out again, an empty file: each is refused, and the database is as it was.
    @Test func aBackupCutShortOrDamagedRestoresNothing() async throws {
        let file = temporaryFile("backup"), damaged = temporaryFile("damaged")
        defer { for f in [file, damaged] { try? FileManager.default.removeItem(at: f) } }
        try await withApp { app in
            let f = try await Fixture.make(app)
            try await app.backup(to: file)
            var renamed = f.projectA
            renamed.titleEn = "Changed after the backup"
            try await RecordWriter(db: app.db, author: .commandLine).update(renamed, before: f.projectA)
            let before = try await app.contents()

            let whole = try Data(contentsOf: file)
            var variants: [(String, Data)] = [("empty", Data())]
            for (i, index) in whole.indices.filter({ whole[$0] == 0x0A }).dropLast().enumerated() {
                variants.append(("cut after line \(i + 1)", whole.prefix(index + 1)))
                variants.append(("cut inside line \(i + 2)", whole.prefix(index + 4)))
            }
            variants.append(("the end line's break missing", whole.dropLast()))
            variants.append(("a line after the end", whole + Data("[]\n".utf8)))
            let text = String(decoding: whole, as: UTF8.self)
            variants.append(
                ("a byte changed", Data(text.replacingOccurrences(of: "Project A", with: "Project Z").utf8)))
            variants.append(
                (
                    "a row removed, checksum redone",
                    try forged(whole) { lines in lines.remove(at: lines.firstIndex { $0.hasPrefix("[") }!) }
                ))
            for (what, data) in variants {
                try data.write(to: damaged)
                await #expect(throws: WellplanError.self, "\(what)") { try await app.restore(from: damaged) }
            }
            #expect(variants.count > 60)
            #expect(try await app.contents() == before)
            // The whole file still restores.
            try await app.restore(from: file)
            #expect(try await Records(db: app.db.sql).find(Project.self, f.projectA.id)?.titleEn == "Project A")
        }
    }

    /// The audit log's head is kept in the backup, signed with the key from the environment: a backup whose
    /// newest audit entries were removed is refused, whether or not its head and checksum were redone, and
    /// the live log cut short below a backup's head is found by `audit verify --backup`.
    @Test func theAuditHeadInABackupFindsALogCutShort() async throws {
        let file = temporaryFile("backup"), forgedFile = temporaryFile("forged")
        defer { for f in [file, forgedFile] { try? FileManager.default.removeItem(at: f) } }
        let key = AuditKey(String(repeating: "k", count: 40))!
        try await withApp(settings: { $0.auditKey = key }) { app in
            _ = try await Fixture.make(app)
            try await app.backup(to: file)
            let whole = try Data(contentsOf: file)
            func dropNewestAuditEntry(_ lines: inout [String]) {
                let audit = lines.firstIndex {
                    $0.hasPrefix(#"{"columns":"#) && $0.contains(#""table":"audit_entries""#)
                }!
                var last = audit + 1
                while last + 1 < lines.count, lines[last + 1].hasPrefix("[") { last += 1 }
                lines.remove(at: last)
            }
            // Only the rows and checksum redone: the head no longer matches the log, which a server without
            // a key finds too.
            try forged(whole, keepHead: true, dropNewestAuditEntry).write(to: forgedFile)
            await #expect(throws: WellplanError.invalid([FieldProblem("audit_entries", "error_backup_audit_head")])) {
                try await Backup.restore(from: forgedFile, db: app.db, auditKey: nil) { _, _ in }
            }
            // The head redone too: only the signature can tell, and it does.
            try forged(whole, keepHead: false, dropNewestAuditEntry).write(to: forgedFile)
            await #expect(throws: WellplanError.invalid([FieldProblem("file", "error_backup_signature")])) {
                try await app.restore(from: forgedFile)
            }
            // An unsigned backup is refused by a server that has a key.
            var unsigned = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map(String.init)
            unsigned[unsigned.count - 1] = unsigned.last!.replacing(
                #/"signature":"[0-9a-f]+"/#, with: #""signature":null"#)
            try (unsigned.joined(separator: "\n") + "\n").write(to: forgedFile, atomically: true, encoding: .utf8)
            await #expect(throws: WellplanError.invalid([FieldProblem("file", "error_backup_unsigned")])) {
                try await app.restore(from: forgedFile)
            }

            // The live log: intact as a chain after its newest entries are deleted, but it no longer holds the head.
            let head = try await Backup.check(
                file, target: try await DatabaseCatalogue.read(app.db.sql), migrations: nil, auditKey: key
            ).auditHead!
            #expect(try await AuditLog.holds(head, on: app.db.sql))
            try await app.db.sql.delete(from: "audit_entries").where("seq", .greaterThan, SQLBind(head.seq - 3)).run()
            #expect(try await AuditLog.firstBrokenLink(on: app.db.sql).broken == nil)
            #expect(try await !AuditLog.holds(head, on: app.db.sql))
        }
    }

    private func tableLines(_ file: URL) throws -> [BackupFile.TableLine] {
        try String(contentsOf: file, encoding: .utf8).split(separator: "\n").compactMap { line in
            try? JSONDecoder().decode(BackupFile.TableLine.self, from: Data(line.utf8))
        }
    }

    /// A backup changed by `change` with its row counts and checksum worked out again, as someone with the
    /// file but not the key could; `keepHead` leaves the audit head as it was.
    private func forged(_ whole: Data, keepHead: Bool = true, _ change: (inout [String]) -> Void) throws -> Data {
        var lines = String(decoding: whole, as: UTF8.self).split(separator: "\n").map(String.init)
        var end = try JSONDecoder().decode(BackupFile.EndLine.self, from: Data(lines.removeLast().utf8)).end
        change(&lines)
        var rows: [String: Int] = [:]
        var table = ""
        for line in lines.dropFirst() {
            if let found = try? JSONDecoder().decode(BackupFile.TableLine.self, from: Data(line.utf8)) {
                table = found.table
                rows[table] = 0
            } else {
                rows[table, default: 0] += 1
            }
        }
        let body = Data((lines.joined(separator: "\n") + "\n").utf8)
        end.rows = rows
        end.sha256 = Data(SHA256.hash(data: body)).hex
        if !keepHead {
            // The newest remaining audit entry: its seq first, its hash last.
            let auditStart = lines.firstIndex { $0.contains(#""table":"audit_entries""#) }!
            var last = auditStart
            while last + 1 < lines.count, lines[last + 1].hasPrefix("[") { last += 1 }
            let values = try JSONSerialization.jsonObject(with: Data(lines[last].utf8)) as! [Any]
            end.auditHead = BackupFile.AuditHead(seq: values.first as! Int, hash: values.last as! String)
        }
        return body + (try Data(BackupFile.jsonLine(BackupFile.EndLine(end: end))))
    }
}

/// Two databases' contents alike, table by table; `restored` allows the one audit entry a restore adds.
func expectSame(
    _ found: [String: [String]], _ expected: [String: [String]], restored: Bool,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    #expect(Set(found.keys) == Set(expected.keys), sourceLocation: sourceLocation)
    for table in expected.keys.sorted() {
        var rows = found[table] ?? []
        if restored && table == "audit_entries" {
            let added = rows.filter { !(expected[table] ?? []).contains($0) }
            #expect(added.count == 1 && added[0].contains(#""restore","database""#), sourceLocation: sourceLocation)
            rows.removeAll { added.contains($0) }
        }
        #expect(
            rows.count == expected[table]?.count,
            "\(table): \(rows.count) rows, expected \(expected[table]?.count ?? 0)", sourceLocation: sourceLocation)
        #expect(rows == expected[table], "\(table) differs", sourceLocation: sourceLocation)
    }
}
