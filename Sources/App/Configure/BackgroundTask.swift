/// A task a server starts when it boots and stops, waiting for its round to end, when it shuts down:
/// the job worker, the audit anchor's keeper, the code lists' watch.
final class BackgroundTask: @unchecked Sendable {
    private var task: Task<Void, Never>?

    func start(_ body: @escaping @Sendable () async -> Void) {
        task = Task(operation: body)
    }

    func stop() async {
        task?.cancel()
        await task?.value
    }
}
