import Fluent
import Vapor
import WellplanCore

/// `wellplan report KIND --from DAY --to DAY --format html|pdf|md|csv`: asks for the report as the web does,
/// builds it through the same job with a progress bar, and writes it to `--output` or standard output.
/// The draft it leaves is on the server's report pages, to edit and publish.
struct ReportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(
            name: "kind",
            help:
                "working-group-update, annual-progress, consultation-results, situation-table-annual or cpted-evaluation"
        )
        var kind: String
        @Option(
            name: "subject",
            help: "The id of the table, plan, consultation or CPTED audit (needed when there is more than one)")
        var subject: String?
        @Option(name: "from", help: "First day (YYYY-MM-DD)") var from: String?
        @Option(name: "to", help: "Last day (YYYY-MM-DD)") var to: String?
        @Option(name: "format", help: "html, pdf, md or csv (a ZIP of CSV tables); html by default") var format: String?
        @Option(name: "lang", help: "en or fr; en by default") var lang: String?
        @Option(name: "audience", help: "public (default) or partners") var audience: String?
        @Option(name: "output", short: "o", help: "File to write; standard output when absent") var output: String?
        @Option(name: "control-layer", help: "CPTED evaluation: the control area's layer id") var controlLayer: String?
        @Option(name: "control-area", help: "CPTED evaluation: the control area's code") var controlArea: String?
    }
    var help: String { "Builds a report from the data as they stand and writes it as HTML, PDF, Markdown or CSV." }

    func run(using context: CommandContext, signature s: Signature) async throws {
        let app = context.application
        guard let kind = ReportKind(rawValue: s.kind) else {
            throw CommandFailure(
                "unknown report kind \(s.kind); one of: \(ReportKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let format = ReportFormat(rawValue: s.format ?? "html") else {
            throw CommandFailure("--format is html, pdf, md or csv")
        }
        guard let language = Language(rawValue: s.lang ?? "en") else { throw CommandFailure("--lang is en or fr") }
        guard let audience = Audience(rawValue: s.audience ?? "public") else {
            throw CommandFailure("--audience is public or partners")
        }
        let subject = try await self.subject(kind, s.subject, app)
        // The options read as the web form is read, so both check them alike.
        let form = [
            "kind": kind.rawValue, "subjectId": subject.uuidString, "from": s.from, "to": s.to,
            "audience": audience.rawValue,
            "controlLayerId": s.controlLayer, "controlAreaCode": s.controlArea,
        ].compactMapValues { $0 }
        let reports = Reports(db: app.db, author: .commandLine)
        let (stored, queued): (StoredReport, Job)
        do {
            (stored, queued) = try await reports.request(try ReportForm.request(form), policy: app.settings.disclosure)
        } catch WellplanError.invalid(let found) {
            throw CommandFailure(
                "no report: " + found.map { "--\($0.field): \($0.message(language))" }.joined(separator: "; "))
        }
        let job = try await JobQueue.runHere(queued, context)
        guard job.state == .succeeded, let built = try await reports.find(stored.id), let report = built.shown(language)
        else {
            throw CommandFailure("the report could not be built: \(job.error ?? "unknown error")")
        }
        let data: Data
        do {
            data = try await ReportFiles.render(
                format, report, built, readers: audience == .partners ? .partners : .everyone,
                base: SiteURL.reportView(built.id).path, views: app.view,
                chromium: app.settings.chromium)
        } catch let unavailable as ReportPDF.Unavailable {
            throw CommandFailure(unavailable.reason)
        }
        if let output = s.output {
            try data.write(to: URL(fileURLWithPath: output))
            context.console.print("Written \(output) (\(data.count) bytes); the draft is /reports/\(built.id)")
        } else {
            FileHandle.standardOutput.write(data)
        }
    }

    /// The subject given, or the only one of its kind there is.
    private func subject(_ kind: ReportKind, _ given: String?, _ app: Application) async throws -> UUID {
        let store = Records(db: app.db.sql)
        let candidates: [(UUID, String)]
        switch kind {
        case .workingGroupUpdate:
            candidates = try await store.list(PartnerTable.self).filter { $0.kind == .workingGroup }.map {
                ($0.id, $0.nameEn)
            }
        case .situationTableAnnual:
            candidates = try await store.list(PartnerTable.self).filter { $0.kind == .situationTable }.map {
                ($0.id, $0.nameEn)
            }
        case .annualProgress: candidates = try await store.list(Plan.self).map { ($0.id, $0.titleEn) }
        case .consultationResults: candidates = try await store.list(Consultation.self).map { ($0.id, $0.titleEn) }
        case .cptedEvaluation: candidates = try await store.list(CptedAudit.self).map { ($0.id, $0.siteName) }
        }
        return try CommandSubject.chosen(given, among: candidates, option: "subject")
    }
}
