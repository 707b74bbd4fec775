import Vapor
import WellplanCore

/// A job as its page and the API show it: how far it has come, and how it ended.
struct JobView: Content {
    let id: UUID
    let kind: String
    let state: Job.State
    /// From 0 to 1.
    let progress: Double
    let message: String?
    let result: String?
    let resultHref: String?
    let error: String?
    let attempts: Int
    let createdAt: Timestamp
    let startedAt: Timestamp?
    let finishedAt: Timestamp?

    var isRunning: Bool { state == .queued || state == .running }

    init(_ job: Job) {
        (id, kind, state, progress, message) = (job.id, job.kind, job.state, job.progress, job.message)
        let isPage = job.state == .succeeded && job.result?.hasPrefix("/") == true
        (result, resultHref, error) = (job.result, isPage ? job.result : nil, job.error)
        (attempts, createdAt, startedAt, finishedAt) = (job.attempts, job.createdAt, job.startedAt, job.finishedAt)
    }

    /// The job in the path, for a reader who may follow jobs.
    static func find(_ req: Request) async throws -> JobView {
        try await req.authorize(.read, .jobs)
        guard let id = req.parameters.get("id", as: UUID.self), let job = try await JobQueue.find(id, on: req.sql)
        else {
            throw WellplanError.notFound("job")
        }
        return JobView(job)
    }
}

/// `/api/v1/jobs/:id`: what the job's page shows, for a client following the import it started.
struct JobAPI: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("jobs", ":id") { req in try jsonResponse(try await JobView.find(req)) }
    }
}

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
        let stamp = Timestamp.now.description.replacingOccurrences(of: ":", with: "-")
        let job = try await JobQueue.enqueue(
            BackupJob.self, payload: folder.appendingPathComponent("wellplan-\(stamp).jsonl").path,
            on: req.sql, req.author)
        return req.redirect(to: "/jobs/\(job.id)", redirectType: .normal)
    }
}
