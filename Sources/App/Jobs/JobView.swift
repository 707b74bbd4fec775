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
        id = job.id
        kind = job.kind
        state = job.state
        progress = job.progress
        message = job.message
        let isPage = job.state == .succeeded && job.result?.hasPrefix("/") == true
        result = job.result
        resultHref = isPage ? job.result : nil
        error = job.error
        attempts = job.attempts
        createdAt = job.createdAt
        startedAt = job.startedAt
        finishedAt = job.finishedAt
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
