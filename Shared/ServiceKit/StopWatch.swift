import Logging
import ServiceLifecycle
import Synchronization

/// Names the services that have not returned when a stop takes too long. A service that would not
/// stop after SIGTERM (session 13 and 14's benchmark runs, each service in turn) had every thread
/// idle and its async `main` not returned: some service's `run()` awaited what nothing resumed.
/// Each service is run through `watched(_:name:)`; once the group's graceful shutdown begins, the
/// watch waits `limit` and then logs, at error, the services still running.
final class StopWatch: Sendable {
    private let running = Mutex<Set<String>>([])
    private let logger: Logger
    private let limit: Duration

    init(logger: Logger, limit: Duration = .seconds(8)) {
        self.logger = logger
        self.limit = limit
    }

    func watched(_ service: any Service, name: String) -> any Service { Watched(inner: service, name: name, watch: self) }

    /// A service of the group itself: from the graceful shutdown on, reports what has not stopped.
    var reporter: any Service { Reporter(watch: self) }

    private struct Watched: Service {
        let inner: any Service, name: String, watch: StopWatch

        func run() async throws {
            watch.running.withLock { _ = $0.insert(name) }
            defer { watch.running.withLock { _ = $0.remove(name) } }
            try await inner.run()
        }
    }

    private struct Reporter: Service {
        let watch: StopWatch

        func run() async throws {
            try? await gracefulShutdown()
            // Unstructured and left behind on purpose: the report must come while the others hang,
            // and this service must not hold the group's stop itself.
            Task.detached { [watch] in
                try? await Task.sleep(for: watch.limit)
                let left = watch.running.withLock { $0.sorted() }
                guard !left.isEmpty else { return }
                watch.logger.error("stop is taking long: services not returned", metadata: ["services": "\(left.joined(separator: ", "))"])
            }
        }
    }
}
