import Synchronization

/// Wakes this process's job workers when a job is queued here, so the job starts at once instead of at
/// the worker's next look at the queue (up to half a second: most of a small import's wait). A job queued
/// by another server is still found at that next look.
final class JobBell: Sendable {
    /// The bell every worker and queue of this process shares.
    static let shared = JobBell()

    private struct Waiting {
        let worker: CheckedContinuation<Void, Never>
        var timer: Task<Void, Never>?
    }

    private struct State {
        var waiting: [Int: Waiting] = [:]
        var next = 0
        /// Rung while no worker waited: the next wait returns at once.
        var rung = false
    }

    private let state = Mutex(State())

    /// A write transaction under way, and the bells rung in it: a job queued in it is not there for a
    /// worker until it commits.
    final class Held: Sendable {
        fileprivate let rung = Mutex<[JobBell]>([])

        /// Runs part of the transaction that may have left the task `holding` began in (a database driver
        /// runs a connection's work in a task of its own, which knows nothing of the one that asked).
        func within<T>(_ work: () async throws -> T) async throws -> T {
            try await JobBell.$held.withValue(self) { try await work() }
        }
    }

    @TaskLocal fileprivate static var held: Held?

    /// Runs a write transaction (`body`, commit included, its statements run `within` the given hold); a
    /// ring inside it sounds once it has returned, so a worker does not look for the job before it is
    /// committed and then wait its round.
    static func holding<T>(_ body: (Held) async throws -> T) async throws -> T {
        let held = Held()
        let result = try await body(held)
        for bell in held.rung.withLock({ $0 }) { bell.ring() }
        return result
    }

    func ring() {
        if let held = Self.held {
            held.rung.withLock { $0.append(self) }
            return
        }
        let woken = state.withLock { state in
            let woken = Array(state.waiting.values)
            state.waiting = [:]
            state.rung = woken.isEmpty
            return woken
        }
        for waiting in woken { wake(waiting) }
    }

    /// Returns when the bell rings, after `limit`, or when the task is cancelled, whichever comes first.
    func wait(atMost limit: Duration) async {
        let id = state.withLock { state in
            state.next += 1
            return state.next
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (worker: CheckedContinuation<Void, Never>) in
                let waits = state.withLock { state in
                    guard !state.rung else {
                        state.rung = false
                        return false
                    }
                    state.waiting[id] = Waiting(worker: worker)
                    return true
                }
                guard waits else { return worker.resume() }
                // Cancelled before it waited, the handler below found nothing to stop.
                guard !Task.isCancelled else { return stopWaiting(id) }
                let timer = Task {
                    try? await Task.sleep(for: limit)
                    self.stopWaiting(id)
                }
                state.withLock { $0.waiting[id]?.timer = timer }
            }
        } onCancel: {
            stopWaiting(id)
        }
    }

    private func stopWaiting(_ id: Int) {
        if let waiting = state.withLock({ $0.waiting.removeValue(forKey: id) }) { wake(waiting) }
    }

    private func wake(_ waiting: Waiting) {
        waiting.timer?.cancel()
        waiting.worker.resume()
    }
}
