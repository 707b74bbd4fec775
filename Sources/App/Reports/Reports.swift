import Fluent
import Foundation
import SQLKit
import Vapor
import WellplanCore

/// A report as kept: what was asked (kind, subject, period), the report built in both languages at its
/// as-of time, the coordinator's edits, and once published its edition number. A published report's
/// models and files are never written again: there is no function here that would.
struct StoredReport: Codable, Sendable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, kind, subjectId, planId, fromDay, toDay, parameters, audience, state, edition, titleEn, titleFr,
            reportEn, reportFr, edits, jobId
        case createdBy, createdAt, asOf, publishedAt, publishedBy
    }

    enum State: String, Codable, Sendable { case building, draft, published }

    var id: UUID
    var kind: String
    var subjectId: UUID
    var planId: UUID?
    var fromDay: Day?
    var toDay: Day?
    var parameters: String?
    var audience: String
    var state: State
    var edition: Int?
    /// The report's title in each language, kept beside it so lists need not read the reports.
    var titleEn: String?
    var titleFr: String?
    var reportEn: String?
    var reportFr: String?
    var edits: String?
    var jobId: UUID?
    var createdBy: String
    var createdAt: Timestamp
    var asOf: Timestamp?
    var publishedAt: Timestamp?
    var publishedBy: String?

    var reportKind: ReportKind { ReportKind(rawValue: kind) ?? .annualProgress }
    var readers: Audience { Audience(rawValue: audience) ?? .publicRelease }

    func report(_ language: Language) -> Report? {
        (language == .fr ? reportFr : reportEn).flatMap { try? JSONDecoder().decode(Report.self, from: Data($0.utf8)) }
    }

    var reportEdits: ReportEdits {
        edits.flatMap { try? JSONDecoder().decode(ReportEdits.self, from: Data($0.utf8)) } ?? ReportEdits()
    }
    var parameterValues: [String: String] {
        parameters.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) } ?? [:]
    }

    /// The report as readers see it now: a draft with its edits applied; a published edition as frozen.
    func shown(_ language: Language) -> Report? {
        guard let report = report(language) else { return nil }
        return state == .published ? report : reportEdits.applied(to: report)
    }

    /// What lists and the API show about it, without the reports themselves.
    struct Summary: Codable, Sendable {
        let id: UUID
        let kind: String
        let subjectId: UUID
        let planId: UUID?
        let from: Day?
        let to: Day?
        let audience: String
        let state: State
        let edition: Int?
        let title: String?
        let asOf: Timestamp?
        let publishedAt: Timestamp?
        let jobId: UUID?
    }

    func summary(_ language: Language) -> Summary {
        Summary(
            id: id, kind: kind, subjectId: subjectId, planId: planId, from: fromDay, to: toDay, audience: audience,
            state: state, edition: edition,
            title: language == .fr ? titleFr : titleEn, asOf: asOf, publishedAt: publishedAt, jobId: jobId)
    }
}

/// One rendered file of a published edition, kept byte for byte.
struct ReportFile: Codable, Sendable {
    var id: UUID
    var reportId: UUID
    var name: String
    var mediaType: String
    var sha256: String
    var fileId: UUID
    var createdAt: Timestamp
}

/// What a coordinator asks for: a kind of report about a subject over a period.
struct ReportRequest: Codable, Sendable {
    var kind: ReportKind
    var subjectId: UUID
    var from: Day?
    var to: Day?
    var audience: Audience?
    /// Kind-specific choices: a CPTED evaluation's control area (`controlLayerId`, `controlAreaCode`), `months`, `siteRadius`, `bufferWidth`.
    var parameters: [String: String]?
}

struct Reports {
    let db: any Database
    let author: Author

    private var sql: any SQLDatabase { db.sql }

    func find(_ id: UUID) async throws -> StoredReport? {
        try await sql.select().column("*").from("reports").where("id", .equal, SQLBind(id)).first(
            decoding: StoredReport.self, with: Records.decoder)
    }

    /// Every report without its models (lists show titles and dates), newest first.
    func all(published: Bool = false) async throws -> [StoredReport] {
        var query = sql.select().from("reports")
            .columns(
                StoredReport.CodingKeys.allCases.filter { $0 != .reportEn && $0 != .reportFr }.map {
                    SQLColumn(RecordField.snakeCase($0.rawValue))
                })
        if published { query = query.where("state", .equal, SQLBind(StoredReport.State.published.rawValue)) }
        return try await query.orderBy("created_at", .descending).all(
            decoding: StoredReport.self, with: Records.decoder)
    }

    /// The published editions of a series, newest first.
    func editions(_ kind: ReportKind, subject: UUID) async throws -> [StoredReport] {
        try await sql.select().column("*").from("reports").where("kind", .equal, SQLBind(kind.rawValue)).where(
            "subject_id", .equal, SQLBind(subject)
        )
        .where("state", .equal, SQLBind(StoredReport.State.published.rawValue)).orderBy("edition", .descending)
        .all(decoding: StoredReport.self, with: Records.decoder)
    }

    /// Checks the request (subject, period, parameters), then keeps it and queues the job that builds it.
    func request(_ r: ReportRequest, policy: DisclosurePolicy) async throws -> (StoredReport, Job) {
        let resolved = try await ReportSources(db: db, policy: policy, clock: author.clock).resolve(r)
        let author = author
        return try await db.writeTransaction { tx in
            var report = Reports(db: tx, author: author).row(r, resolved)
            let job = try await ReportBuildJob.enqueue(report.id, policy: policy, on: tx.sql, author)
            report.jobId = job.id
            try await Reports(db: tx, author: author).insert(report)
            return (report, job)
        }
    }

    /// Keeps the request and builds it at once, without a job: for the demo and the command line.
    func buildNow(_ r: ReportRequest, policy: DisclosurePolicy) async throws -> StoredReport {
        let resolved = try await ReportSources(db: db, policy: policy, clock: author.clock).resolve(r)
        let report = row(r, resolved)
        try await insert(report)
        try await build(report.id, policy: policy)
        return try await find(report.id)!
    }

    private func row(_ r: ReportRequest, _ resolved: ReportSources.Resolved) -> StoredReport {
        StoredReport(
            id: UUID(), kind: r.kind.rawValue, subjectId: r.subjectId, planId: resolved.planId, fromDay: resolved.from,
            toDay: resolved.to,
            parameters: r.parameters.map { AuditLog.json($0) }, audience: (r.audience ?? .publicRelease).rawValue,
            state: .building,
            createdBy: author.label, createdAt: author.now)
    }

    private func insert(_ report: StoredReport) async throws {
        try await sql.insert(into: "reports").model(report, with: Records.encoder).run()
        try await AuditLog.append(
            on: sql, author, "request", "report", recordId: report.id.uuidString,
            after: AuditLog.json(report.summary(.en)))
    }

    /// Reads the data again under a new job; the edits stay.
    func rebuild(_ stored: StoredReport, policy: DisclosurePolicy) async throws -> Job {
        guard stored.state != .published else { throw WellplanError.conflict("error_report_published") }
        let author = author
        return try await db.writeTransaction { tx in
            let job = try await ReportBuildJob.enqueue(stored.id, policy: policy, on: tx.sql, author)
            try await tx.sql.update("reports").set("job_id", to: SQLBind(job.id)).where(
                "id", .equal, SQLBind(stored.id)
            ).run()
            return job
        }
    }

    /// Reads the data now and keeps the report in both languages: the draft's new as-of time.
    func build(
        _ id: UUID, policy: DisclosurePolicy,
        progress: @escaping @Sendable (Double, String?) async -> Void = { _, _ in }
    ) async throws {
        guard var stored = try await find(id) else { throw WellplanError.notFound("report") }
        guard stored.state != .published else { throw WellplanError.conflict("error_report_published") }
        let request = ReportRequest(
            kind: stored.reportKind, subjectId: stored.subjectId, from: stored.fromDay, to: stored.toDay,
            audience: stored.readers,
            parameters: stored.parameterValues)
        let built = try await ReportSources(db: db, policy: policy, clock: author.clock).build(
            request, progress: progress)
        stored.reportEn = AuditLog.json(built[.en]!)
        stored.reportFr = AuditLog.json(built[.fr]!)
        stored.titleEn = built[.en]!.title
        stored.titleFr = built[.fr]!.title
        stored.asOf = built[.en]!.asOf
        stored.state = .draft
        let row = stored
        try await sql.update("reports").set(model: row, with: Records.encoder).where("id", .equal, SQLBind(id))
            .run()
    }

    func saveEdits(_ id: UUID, _ edits: ReportEdits) async throws -> StoredReport {
        let problems = edits.problems()
        if !problems.isEmpty { throw WellplanError.invalid(problems) }
        let author = author
        return try await db.writeTransaction { tx in
            guard var stored = try await Reports(db: tx, author: author).find(id) else {
                throw WellplanError.notFound("report")
            }
            guard stored.state != .published else { throw WellplanError.conflict("error_report_published") }
            let before = stored.edits
            stored.edits = AuditLog.json(edits)
            try await tx.sql.update("reports").set("edits", to: SQLBind(stored.edits)).where("id", .equal, SQLBind(id))
                .run()
            try await AuditLog.append(
                on: tx.sql, author, "edit", "report", recordId: id.uuidString, before: before, after: stored.edits)
            return stored
        }
    }

    /// Freezes the draft as the next edition of its series: its edits applied, the changes since the
    /// previous edition added, and every file rendered and kept. The files are rendered before the write,
    /// so the write holds the database only to store them; it checks that nothing moved meanwhile.
    func publish(_ id: UUID, views: any ViewRenderer) async throws -> StoredReport {
        let now = author.now
        let edition = try await nextEdition(id, at: now)
        let files = try await ReportFiles.rendered(
            edition.stored, edition.reports, readers: .everyone, views: views)
        let author = author
        return try await db.writeTransaction { tx in
            let again = try await Reports(db: tx, author: author).nextEdition(id, at: now)
            guard again.reports == edition.reports, again.stored.edition == edition.stored.edition else {
                throw WellplanError.conflict("error_report_changed_while_publishing")
            }
            let stored = edition.stored
            do {
                try await tx.sql.update("reports").set(model: stored, with: Records.encoder).where(
                    "id", .equal, SQLBind(id)
                ).run()
            } catch let error as any DatabaseError where error.isConstraintFailure {
                // Another draft of the series took this edition number a moment ago.
                throw WellplanError.conflict("error_report_edition_taken")
            }
            for file in files {
                try await Self.addFile(
                    to: id, name: file.name, mediaType: file.mediaType, data: file.data, at: now, on: tx.sql)
            }
            try await AuditLog.append(
                on: tx.sql, author, "publish", "report", recordId: id.uuidString,
                after: AuditLog.json(stored.summary(.en)))
            return stored
        }
    }

    /// A draft as it would be published now: the next edition's number, and in each language the report
    /// with its edits and the changes since the previous edition.
    private func nextEdition(_ id: UUID, at now: Timestamp) async throws
        -> (stored: StoredReport, reports: [Language: Report])
    {
        guard var stored = try await find(id) else { throw WellplanError.notFound("report") }
        guard stored.state == .draft else {
            throw WellplanError.conflict(
                stored.state == .published ? "error_report_published" : "error_report_building")
        }
        let previous = try await editions(stored.reportKind, subject: stored.subjectId).first
        var frozen: [Language: Report] = [:]
        for language in Language.allCases {
            guard var report = stored.shown(language) else { throw WellplanError.conflict("error_report_building") }
            if let previous, let old = previous.report(language), let number = previous.edition,
                let on = previous.publishedAt
            {
                var compared = old
                compared.sections.removeAll { $0.key == "changes" }
                let changes = ReportChanges(from: compared, to: report)
                report.sections.append(changes.section(since: number, on: on.day, ReportWriting(language)))
            }
            frozen[language] = report
        }
        stored.reportEn = AuditLog.json(frozen[.en]!)
        stored.reportFr = AuditLog.json(frozen[.fr]!)
        stored.state = .published
        stored.edition = (previous?.edition ?? 0) + 1
        stored.publishedAt = now
        stored.publishedBy = author.label
        return (stored, frozen)
    }

    /// A published edition's kept file.
    func file(_ id: UUID, name: String) async throws -> Data? {
        let row = try await sql.select().column("file_id").from("report_files")
            .where("report_id", .equal, SQLBind(id)).where("name", .equal, SQLBind(name)).first()
        guard let row else { return nil }
        return try await StoredFiles(sql: sql).data(try row.decode(column: "file_id", as: UUID.self))
    }

    /// Keeps a file rendered after publication (a PDF, once Chromium is there); the first one kept stays.
    func keep(_ id: UUID, name: String, mediaType: String, data: Data) async throws -> Data {
        if let kept = try await file(id, name: name) { return kept }
        try await db.writeTransaction { tx in
            try await Self.addFile(to: id, name: name, mediaType: mediaType, data: data, at: author.now, on: tx.sql)
        }
        return data
    }

    private static func addFile(
        to report: UUID, name: String, mediaType: String, data: Data, at time: Timestamp, on sql: any SQLDatabase
    ) async throws {
        let kept = try await StoredFiles(sql: sql).keep(data, mediaType: mediaType, at: time)
        let file = ReportFile(
            id: UUID(), reportId: report, name: name, mediaType: mediaType, sha256: kept.sha256, fileId: kept.id,
            createdAt: time)
        try await sql.insert(into: "report_files").model(file, with: Records.encoder).run()
    }

    func delete(_ id: UUID) async throws {
        let author = author
        try await db.writeTransaction { tx in
            guard let stored = try await Reports(db: tx, author: author).find(id) else {
                throw WellplanError.notFound("report")
            }
            guard stored.state != .published else { throw WellplanError.conflict("error_report_published") }
            try await tx.sql.delete(from: "reports").where("id", .equal, SQLBind(id)).run()
            try await AuditLog.append(
                on: tx.sql, author, "delete", "report", recordId: id.uuidString,
                before: AuditLog.json(stored.summary(.en)))
        }
    }
}

/// Builds a requested report as a job, so a large one shows its progress and survives a restart.
enum ReportBuildJob: JobKind {
    static let name = "report_build"

    struct Payload: Codable {
        struct Policy: Codable {
            let publicMinimum: Int
            let partnerMinimum: Int
            init(_ p: DisclosurePolicy) { (publicMinimum, partnerMinimum) = (p.publicMinimum, p.partnerMinimum) }
            var policy: DisclosurePolicy {
                DisclosurePolicy(publicMinimum: publicMinimum, partnerMinimum: partnerMinimum)
            }
        }
        let report: UUID
        let policy: Policy
    }

    static func enqueue(_ report: UUID, policy: DisclosurePolicy, on sql: any SQLDatabase, _ author: Author)
        async throws -> Job
    {
        try await JobQueue.enqueue(
            Self.self, payload: AuditLog.json(Payload(report: report, policy: .init(policy))), on: sql, author)
    }

    static func run(_ context: JobContext) async throws -> String? {
        let payload = try JSONDecoder().decode(Payload.self, from: Data(context.job.payload.utf8))
        try await Reports(
            db: context.db, author: Author(userId: nil, label: context.job.createdBy, clock: context.settings.clock)
        )
        .build(
            payload.report, policy: payload.policy.policy
        ) {
            await context.report($0, $1)
        }
        return SiteURL.report(payload.report).path
    }
}
