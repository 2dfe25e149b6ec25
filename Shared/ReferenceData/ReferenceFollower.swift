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
