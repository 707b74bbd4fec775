import Fluent
import SQLKit
import Vapor
import WellplanCore

/// A unit of long work stored in the database, so it survives restarts and any server may run it.
struct Job: Codable, Sendable {
    enum State: String, Codable, Sendable { case queued, running, succeeded, failed }

    var id: UUID
    var kind: String
    var state: State
    var payload: String
    var progress: Double
    var message: String?
    var error: String?
    var result: String?
    var attempts: Int
    var maxAttempts: Int
    var claimedBy: String?
    var createdBy: String
    var createdAt: Timestamp
    var startedAt: Timestamp?
    var finishedAt: Timestamp?
    var heartbeatAt: Timestamp?
}

/// What a job can do while it runs: reach the database and report how far it has come.
struct JobContext: Sendable {
    let job: Job
    let db: any Database
    let settings: Settings
    let logger: Logger
    let onProgress: @Sendable (Double, String?) async -> Void

    func report(_ fraction: Double, _ message: String? = nil) async {
        try? await JobQueue.setProgress(job.id, fraction, message, at: settings.clock.now, on: db.sql)
        await onProgress(fraction, message)
    }
}

/// A kind of job. Each one turns its payload into work; the queue does the rest.
protocol JobKind: Sendable {
    static var name: String { get }
    /// Returns a short result for the job's page (a file name, a count).
    static func run(_ context: JobContext) async throws -> String?
}

enum JobQueue {
    static let kinds: [any JobKind.Type] = [
        BackupJob.self, ShredJob.self, ResponseImportJob.self, IncidentImportJob.self, ObservationImportJob.self,
        ReportBuildJob.self,
    ]

    static func enqueue(
        _ kind: any JobKind.Type, payload: String, on db: any SQLDatabase, _ author: Author, maxAttempts: Int = 3
    ) async throws -> Job {
        let job = Job(
            id: UUID(), kind: kind.name, state: .queued, payload: payload, progress: 0, attempts: 0,
            maxAttempts: maxAttempts,
            createdBy: author.label, createdAt: author.now)
        try await db.insert(into: "jobs").model(job, with: Records.encoder).run()
        JobBell.shared.ring()
        return job
    }

    static func find(_ id: UUID, on db: any SQLDatabase) async throws -> Job? {
        try await db.select().column("*").from("jobs").where("id", .equal, SQLBind(id)).first(
            decoding: Job.self, with: Records.decoder)
    }

    /// Takes the oldest queued job (or the one named by `only`), or nil: any server may run any job, since
    /// what a job reads is in the database. The conditional update lets exactly one of several servers win
    /// the same job; the others see another claim and move on.
    static func claim(on db: any SQLDatabase, worker: String, only: UUID? = nil, at now: Timestamp) async throws
        -> Job?
    {
        let candidates =
            if let only { [only] } else {
                try await db.select().column("id").from("jobs").where(
                    "state", .equal, SQLBind(Job.State.queued.rawValue)
                )
                .orderBy("created_at").limit(5).all().map { try $0.decode(column: "id", as: UUID.self) }
            }
        for id in candidates {
            let token = "\(worker)/\(UUID().uuidString)"
            try await db.update("jobs")
                .set("state", to: SQLBind(Job.State.running.rawValue))
                .set("claimed_by", to: SQLBind(token))
                .set("started_at", to: SQLBind(now))
                .set("heartbeat_at", to: SQLBind(now))
                .set(
                    SQLIdentifier("attempts"),
                    to: SQLBinaryExpression(SQLIdentifier("attempts"), .add, SQLLiteral.numeric("1"))
                )
                .where("id", .equal, SQLBind(id)).where("state", .equal, SQLBind(Job.State.queued.rawValue))
                .run()
            if let job = try await find(id, on: db), job.claimedBy == token { return job }
        }
        return nil
    }

    static func setProgress(
        _ id: UUID, _ fraction: Double, _ message: String?, at now: Timestamp, on db: any SQLDatabase
    ) async throws {
        try await db.update("jobs").set("progress", to: SQLBind(min(1, max(0, fraction)))).set(
            "message", to: SQLBind(message)
        )
        .set("heartbeat_at", to: SQLBind(now)).where("id", .equal, SQLBind(id)).run()
    }

    /// How long a server elsewhere may stay silent about a job before the job counts as abandoned.
    static let lease: TimeInterval = 120

    /// Jobs left running by a server that stopped (killed, crashed, switched off) go back to the queue,
    /// or fail once they have had all their attempts. Their work is all-or-nothing, so nothing of the
    /// stopped attempt remains. A server on this host is gone when its process is; a server elsewhere
    /// is gone when its heartbeat is older than the lease. Returns how many jobs were taken back.
    @discardableResult
    static func reclaimAbandoned(on db: any SQLDatabase, host: String, now: Timestamp) async throws -> Int {
        let running = try await db.select().column("*").from("jobs").where(
            "state", .equal, SQLBind(Job.State.running.rawValue)
        )
        .all(decoding: Job.self, with: Records.decoder)
        var taken = 0
        for job in running where isAbandoned(job, host: host, now: now) {
            let state: Job.State = job.attempts < job.maxAttempts ? .queued : .failed
            try await db.update("jobs").set("state", to: SQLBind(state.rawValue))
                .set("error", to: SQLBind("the server running it stopped (\(job.claimedBy ?? "unknown"))"))
                .set("finished_at", to: SQLBind(state == .failed ? now : nil))
                .where("id", .equal, SQLBind(job.id)).where("claimed_by", .equal, SQLBind(job.claimedBy))
                .where("state", .equal, SQLBind(Job.State.running.rawValue)).run()
            taken += 1
        }
        return taken
    }

    private static func isAbandoned(_ job: Job, host: String, now: Timestamp) -> Bool {
        let worker = job.claimedBy?.split(separator: "/").first.map(String.init) ?? ""
        if let colon = worker.lastIndex(of: ":"), worker[..<colon] == host,
            let pid = Int32(worker[worker.index(after: colon)...])
        {
            return !processIsAlive(pid)
        }
        let lastSign = job.heartbeatAt ?? job.startedAt ?? job.createdAt
        return now.date.timeIntervalSince(lastSign.date) > lease
    }

    private static func processIsAlive(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }

    /// The name a worker claims jobs under: this host and process, so a restarted server can tell its
    /// predecessor is gone.
    static var workerName: String { "\(host):\(ProcessInfo.processInfo.processIdentifier)" }

    static var host: String { ProcessInfo.processInfo.hostName }

    /// Runs one claimed job to its end: succeeded, queued again for another try, or failed.
    static func run(
        _ job: Job, db: any Database, settings: Settings, logger: Logger,
        onProgress: @escaping @Sendable (Double, String?) async -> Void = { _, _ in }
    ) async -> Job.State {
        guard let kind = kinds.first(where: { $0.name == job.kind }) else {
            try? await finish(
                job.id, .failed, result: nil, error: "unknown job kind \(job.kind)", at: settings.clock.now, on: db.sql)
            return .failed
        }
        // SQLite has one host and one writer (busy with the job), so there the process check suffices.
        let heartbeat =
            db.sql.isPostgres
            ? Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(lease / 4))
                    try? await db.sql.update("jobs").set("heartbeat_at", to: SQLBind(settings.clock.now)).where(
                        "id", .equal, SQLBind(job.id)
                    ).run()
                }
            } : nil
        defer { heartbeat?.cancel() }
        do {
            let result = try await kind.run(
                JobContext(job: job, db: db, settings: settings, logger: logger, onProgress: onProgress))
            try await finish(job.id, .succeeded, result: result, error: nil, at: settings.clock.now, on: db.sql)
            return .succeeded
        } catch {
            let state: Job.State = job.attempts < job.maxAttempts ? .queued : .failed
            logger.warning("job \(job.id) (\(job.kind)) attempt \(job.attempts) failed: \(error)")
            try? await finish(
                job.id, state, result: nil, error: String(describing: error), at: settings.clock.now, on: db.sql)
            return state
        }
    }

    private static func finish(
        _ id: UUID, _ state: Job.State, result: String?, error: String?, at now: Timestamp, on db: any SQLDatabase
    ) async throws {
        var update = db.update("jobs").set("state", to: SQLBind(state.rawValue)).set("result", to: SQLBind(result))
            .set("error", to: SQLBind(error))
        if state == .succeeded { update = update.set("progress", to: SQLBind(1.0)) }
        if state != .queued { update = update.set("finished_at", to: SQLBind(now)) }
        try await update.where("id", .equal, SQLBind(id)).run()
    }
}

/// Runs queued jobs in the background of every `wellplan serve`.
struct JobWorker: LifecycleHandler {
    let loop = BackgroundTask()

    func didBootAsync(_ app: Application) async throws {
        guard app.settings.runsJobs, app.environment != .testing else { return }
        let worker = JobQueue.workerName, host = JobQueue.host
        let db = app.jobsDatabase, logger = app.logger, settings = app.settings
        loop.start {
            // How often the worker does its rounds is elapsed time, not a time of day.
            let started = ContinuousClock.now
            var lastSweep = started - .seconds(7200), lastReclaim = started - .seconds(7200)
            while !Task.isCancelled {
                if ContinuousClock.now - lastReclaim > .seconds(JobQueue.lease / 2) {
                    lastReclaim = ContinuousClock.now
                    if let taken = try? await JobQueue.reclaimAbandoned(
                        on: db.sql, host: host, now: settings.clock.now), taken > 0
                    {
                        logger.notice("took up \(taken) job(s) left running by a server that stopped")
                    }
                }
                // Compartments due some days after their conclusion are shredded by an hourly sweep.
                if ContinuousClock.now - lastSweep > .seconds(3600) {
                    lastSweep = ContinuousClock.now
                    try? await DatabaseSessions.sweep(on: db.sql, at: settings.clock.now)
                    try? await SignInThrottle.sweep(on: db.sql, at: settings.clock.now)
                    if let due = try? await Compartments(db: db, cipher: nil).due(by: settings.clock.today),
                        !due.isEmpty
                    {
                        _ = try? await JobQueue.enqueue(
                            ShredJob.self, payload: "", on: db.sql,
                            Author(userId: nil, label: "hourly sweep", clock: settings.clock))
                    }
                }
                if let job = try? await JobQueue.claim(on: db.sql, worker: worker, at: settings.clock.now) {
                    _ = await JobQueue.run(job, db: db, settings: settings, logger: logger)
                } else {
                    await JobBell.shared.wait(atMost: .milliseconds(500))
                }
            }
        }
    }

    func shutdownAsync(_ app: Application) async {
        await loop.stop()
    }
}
