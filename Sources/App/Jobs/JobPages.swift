import Vapor
import WellplanCore

/// A job's progress bar (it refreshes itself without JavaScript) and the backup button.
struct JobPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("jobs", ":id", use: show)
        routes.post("backups", use: startBackup)
    }

    struct JobPage: Encodable {
        let kind: String
        let stateLabel: String
        let percent: Int
        let message: String?
        let result: String?
        /// A job whose result is a page (a built report) links to it.
        let resultHref: String?
        let error: String?
        let running: Bool
    }

    @Sendable func show(req: Request) async throws -> Response {
        let job = try await JobView.find(req)
        let content = JobPage(
            kind: job.kind, stateLabel: req.text("job_state_\(job.state.rawValue)"),
            percent: Int((job.progress * 100).rounded()),
            message: job.message, result: job.resultHref == nil ? job.result : nil, resultHref: job.resultHref,
            error: job.error,
            running: job.isRunning)
        return try await req.page("job", title: req.text("job_title"), content)
    }

    @Sendable func startBackup(req: Request) async throws -> Response {
        try await req.authorize(.create, .accounts)
        let folder = URL(fileURLWithPath: "backups", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let stamp = req.clock.now.description.replacingOccurrences(of: ":", with: "-")
        let job = try await JobQueue.enqueue(
            BackupJob.self, payload: folder.appendingPathComponent("wellplan-\(stamp).jsonl").path,
            on: req.sql, req.author)
        return req.redirect(to: SiteURL.job(job.id).path, redirectType: .normal)
    }
}
