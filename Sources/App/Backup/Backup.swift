import Fluent
import Foundation
import SQLKit
import WellplanCore

/// A whole-database copy as JSON lines, the same on SQLite and PostgreSQL, so a backup taken
/// from one restores into the other. Sessions, sign-in attempts and jobs are not kept, and neither are
/// situation-table compartments: a backup is plaintext, and identifiers never leave their compartment.
enum Backup {
    struct ApiToken: Codable, Sendable {
        var id: UUID
        var userId: UUID
        var tokenHash: String
        var label: String?
        var createdAt: Timestamp
    }

    struct Line: Codable {
        var table: String
        var row: JSONValue
    }

    /// Tables in an order that satisfies every foreign key on restore.
    static var tables: [(name: String, type: any Codable.Type, order: String)] {
        [
            ("users", User.self, "id"), ("api_tokens", ApiToken.self, "id"),
        ] + RecordKind.restoreOrder.map { ($0.table, $0.recordType, "id") } + [
            ("consultation_responses", ResponseImports.StoredResponse.self, "id"), ("consultation_answers", ResponseImports.StoredAnswer.self, "id"),
            ("codings", Coding.self, "id"), ("feedback_submissions", FeedbackStore.StoredSubmission.self, "id"),
            ("feedback_answers", FeedbackStore.StoredAnswer.self, "id"), ("safety_plan_versions", SafetyPlanVersions.Stored.self, "id"),
            ("finding_photos", FindingPhotos.Stored.self, "id"),
            ("areas", Areas.Stored.self, "id"), ("incidents", Incidents.Stored.self, "id"), ("incident_areas", Incidents.Assignment.self, "id"),
            ("status_changes", StatusTimeline.Entry.self, "id"), ("plan_versions", PlanVersion.self, "id"),
            ("reports", StoredReport.self, "id"), ("report_files", ReportFile.self, "id"),
            ("guarded_names", GuardedNames.Entry.self, "id"), ("code_list_edits", CodeListEdit.self, "id"),
            ("audit_entries", AuditEntry.self, "seq"),
        ]
    }

    static let header = #"{"format":"wellplan-backup","version":1}"#

    static func write(to url: URL, db: any SQLDatabase, progress: (Double, String) async -> Void) async throws -> Int {
        FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600])
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.write(contentsOf: Data((header + "\n").utf8))
        var rows = 0
        for (index, table) in tables.enumerated() {
            await progress(Double(index) / Double(tables.count), table.name)
            func dump<T: Codable>(_ type: T.Type) async throws {
                var offset = 0
                while true {
                    let batch = try await db.select().column("*").from(table.name).orderBy(table.order).limit(1000).offset(offset)
                        .all(decoding: T.self, with: RecordStore.decoder)
                    var chunk = Data()
                    for row in batch {
                        chunk += Data(#"{"table":"\#(table.name)","row":"#.utf8) + Data(AuditLog.json(row).utf8) + Data("}\n".utf8)
                    }
                    try handle.write(contentsOf: chunk)
                    rows += batch.count
                    offset += batch.count
                    if batch.count < 1000 { break }
                }
            }
            try await dump(table.type)
        }
        await progress(1, "done")
        return rows
    }

    /// Replaces everything with the backup's contents, or changes nothing if any line is wrong.
    static func restore(from url: URL, db: any Database, progress: @escaping @Sendable (Double, String) async -> Void) async throws -> Int {
        let text = try String(contentsOf: url, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        guard lines.first.map(String.init) == header else {
            throw WellplanError.invalid([FieldProblem("line 1", "error_not_a_backup")])
        }
        lines.removeFirst()
        let known = Dictionary(uniqueKeysWithValues: tables.map { ($0.name, $0.type) })
        var parsed: [(String, Row)] = []
        for (index, line) in lines.enumerated() {
            let place = "line \(index + 2)"
            guard let envelope = try? JSONDecoder().decode(Line.self, from: Data(line.utf8)), let type = known[envelope.table] else {
                throw WellplanError.invalid([FieldProblem(place, "error_malformed")])
            }
            func decode<T: Codable>(_ type: T.Type) throws -> any Codable {
                try JSONDecoder().decode(T.self, from: JSONEncoder().encode(envelope.row))
            }
            do { parsed.append((envelope.table, Row(value: try decode(type)))) } catch {
                throw WellplanError.invalid([FieldProblem(place, "error_malformed")])
            }
        }
        let rows = parsed
        try await db.writeTransaction { tx in
            // Compartments are never in a backup; their discussions are being replaced, so they go.
            try await tx.sql.delete(from: "discussion_compartments").run()
            for table in tables.reversed() { try await tx.sql.delete(from: table.name).run() }
            for (index, (table, row)) in rows.enumerated() {
                try await tx.sql.insert(into: table).model(row.value, with: RecordStore.encoder).run()
                if index % 500 == 0 { await progress(Double(index) / Double(max(1, rows.count)), table) }
            }
        }
        await progress(1, "done")
        return parsed.count
    }
}

/// A decoded row of any table, ready to insert.
struct Row: @unchecked Sendable {
    let value: any Encodable
}

extension RecordKind {
    /// Parents before children.
    static let restoreOrder: [RecordKind] = [
        .plan, .organization, .person, .partnerTable, .membership, .priority, .recommendation, .goal,
        .project, .projectPartner, .activity, .output, .actionItem, .situationDiscussion, .event, .eventMaterial, .eventAttendance, .feedbackQuestion,
        .feedbackForm, .safetyPlan, .safetyPlanDistribution,
        .consultation, .consultationMethod, .consultationQuestion, .thematicCode, .theme, .illustrativeQuote, .layer,
        .cptedAudit, .auditParticipants, .auditChecklistItem, .auditFinding, .cptedRecommendation, .measure, .measureTarget,
    ]
}

/// `wellplan backup FILE` and the backup button run this job.
enum BackupJob: JobKind {
    static let name = "backup"

    static func run(_ context: JobContext) async throws -> String? {
        let url = URL(fileURLWithPath: context.job.payload)
        let rows = try await Backup.write(to: url, db: context.db.sql) { fraction, table in
            await context.report(fraction, table)
        }
        return "\(rows) rows → \(url.lastPathComponent)"
    }
}
