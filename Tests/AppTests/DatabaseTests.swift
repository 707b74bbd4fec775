import Foundation
import SQLKit
import Synchronization
import Testing
import Vapor
import WellplanCore

@testable import App

/// What every query and job relies on, on whichever database the suite runs.
@Suite struct DatabaseTests {
    /// `IN ()` is an error on PostgreSQL: a list that may be empty matches no row instead, on both.
    @Test func anEmptyListMatchesNoRow() async throws {
        try await withApp { app in
            let job = try await JobQueue.enqueue(
                ShredJob.self, payload: "", on: app.db.sql,
                Author(userId: nil, label: "test", clock: app.settings.clock))
            let none: [UUID] = []
            let empty = try await app.db.sql.select().column("id").from("jobs").where("id", in: none).all()
            #expect(empty.isEmpty)
            let found = try await app.db.sql.select().column("id").from("jobs")
                .where(SQLColumn("id", table: "jobs"), in: [job.id, UUID()]).all()
            #expect(try found.map { try $0.decode(column: "id", as: UUID.self) } == [job.id])
        }
    }

    /// A job queued in this process wakes its worker at once, even one queued just before the worker waits;
    /// a worker stopping stops waiting. Were a ring missed, the wait would last the hour, and the test its limit.
    @Test(.timeLimit(.minutes(1))) func queuingAJobWakesTheWorker() async throws {
        let bell = JobBell()
        let waiting = Task { await bell.wait(atMost: .seconds(3600)) }
        bell.ring()
        await waiting.value
        bell.ring()
        await bell.wait(atMost: .seconds(3600))
        let stopped = Task { await bell.wait(atMost: .seconds(3600)) }
        stopped.cancel()
        await stopped.value
    }

    /// A job queued inside a write transaction is rung for once the transaction has committed: a worker woken
    /// before would find nothing and wait its round. The transaction is the one every write goes through.
    @Test(.timeLimit(.minutes(1))) func aJobQueuedInATransactionIsRungForAfterItCommits() async throws {
        try await withApp { app in
            let bell = JobBell()
            final class Flag: Sendable { let raised = Mutex(false) }
            let woken = Flag()
            let waiting = Task {
                await bell.wait(atMost: .seconds(3600))
                woken.raised.withLock { $0 = true }
            }
            // The body may run in the driver's task, where an expectation would belong to no test.
            let wokenInside = try await app.db.writeTransaction { _ in
                bell.ring()
                try await Task.sleep(for: .milliseconds(50))
                return woken.raised.withLock { $0 }
            }
            #expect(!wokenInside)
            await waiting.value
            #expect(woken.raised.withLock { $0 })
        }
    }
}
