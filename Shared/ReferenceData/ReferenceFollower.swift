import Persistence
import ServiceLifecycle

/// Loads the reference data once the database is ready, then picks up files replaced through
/// another replica.
public struct ReferenceFollower: Service {
    let reference: ReferenceData
    let afterLoad: @Sendable () async throws -> Void

    /// `then` runs after the first load (e.g. installing the stored rule base).
    public init(reference: ReferenceData, then afterLoad: @escaping @Sendable () async throws -> Void = {}) {
        self.reference = reference
        self.afterLoad = afterLoad
    }

    public func run() async throws {
        try await reference.load()
        try await afterLoad()
        try await repeatUntilShutdown(pause: { .seconds(10) }) { [reference] in try? await reference.refreshIfChanged() }
    }
}

/// Starts consuming only once the knowledge base is loaded.
public struct ConsumerAfterLoad: Service {
    let reference: ReferenceData
    let inner: EventProcessor

    public init(reference: ReferenceData, inner: EventProcessor) {
        self.reference = reference
        self.inner = inner
    }

    public func run() async throws {
        while !reference.isLoaded {
            // Stopping before the first load, gracefully or cancelled (a service of the group failed):
            // cancelled, the sleep below returns at once, and this loop spun without end; the stop
            // never finished, and the consumer, a group member since it was made, held its partitions
            // unread until `max.poll.interval.ms` (5 minutes, a second reviewer in session 25). It
            // leaves its group now, so that the other members take them at once.
            if Task.isShuttingDownGracefully || Task.isCancelled {
                await inner.leave()
                return
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
        try await inner.run()
    }
}
