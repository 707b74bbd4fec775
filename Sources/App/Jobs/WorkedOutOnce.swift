import Dispatch
import NIOConcurrencyHelpers

/// What a reader who cannot wait longer is told: the work is still going on (a page answers 503 and when to
/// ask again).
struct StillWorking: Error {}

/// Work that takes seconds (the disclosure policy's linear programs), done once however many ask for it at
/// once, one piece at a time on a thread of its own, and kept under its inputs. Done in the request, two
/// requests for the same new work held both of a two-core machine's threads, and the server answered no
/// one until they were done; a dashboard read by sixteen connections when a counted measure changed
/// solved it sixteen times over.
///
/// The key is the inputs themselves, so nothing needs clearing: other inputs are a new key, worked out anew.
final class WorkedOutOnce<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    /// Work going on or done: readers hold it while they wait, so letting it go when full strands no one.
    private final class Pending: Sendable {
        let value = NIOLockedValueBox<Value?>(nil)
    }

    /// Values kept; when full, all are let go.
    let capacity: Int
    private let kept = NIOLockedValueBox<(values: [Key: Pending], workedOut: Int)>(([:], 0))
    private let queue: DispatchQueue

    init(_ label: String, capacity: Int) {
        self.capacity = capacity
        queue = DispatchQueue(label: "wellplan.\(label)")
    }

    /// How many values were set to be worked out rather than found.
    var workedOut: Int { kept.withLockedValue { $0.workedOut } }

    /// The value kept for `key`, if it is done.
    func done(_ key: Key) -> Value? {
        kept.withLockedValue { $0.values[key] }?.value.withLockedValue { $0 }
    }

    /// The value for `key`, worked out by `work` unless it is kept or under way; waiting for it at most
    /// `patience` (nil: as long as it takes).
    func value(_ key: Key, patience: Duration? = nil, work: @escaping @Sendable () -> Value) async throws -> Value {
        let pending = self.pending(key, work)
        let clock = ContinuousClock()
        let deadline = patience.map { clock.now + $0 }
        while true {
            if let value = pending.value.withLockedValue({ $0 }) { return value }
            if let deadline, clock.now >= deadline { throw StillWorking() }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    private func pending(_ key: Key, _ work: @escaping @Sendable () -> Value) -> Pending {
        let (pending, isNew) = kept.withLockedValue { kept -> (Pending, Bool) in
            if let known = kept.values[key] { return (known, false) }
            if kept.values.count >= capacity { kept.values.removeAll() }
            let started = Pending()
            kept.values[key] = started
            kept.workedOut += 1
            return (started, true)
        }
        if isNew {
            queue.async {
                let value = work()
                pending.value.withLockedValue { $0 = value }
            }
        }
        return pending
    }
}
