import Logging
import ServiceLifecycle
import Synchronization
import XCTest
@testable import ServiceKit

/// A stop that takes too long names the services that have not returned, so that a process that
/// would not stop after SIGTERM says which of its services held it.
final class StopWatchTests: XCTestCase {
    /// Ignores the stop for `holds` (as a service awaiting what nothing resumes would, for ever).
    private struct Stubborn: Service {
        let holds: Duration
        func run() async throws {
            try? await gracefulShutdown()
            let end = ContinuousClock.now + holds
            while ContinuousClock.now < end { try? await Task.sleep(for: .milliseconds(20)) }
        }
    }

    private struct Prompt: Service {
        func run() async throws { try? await gracefulShutdown() }
    }

    func testAStopTakingLongNamesTheServicesNotReturned() async throws {
        let lines = Lines()
        let logger = Logger(label: "stop-watch-test") { _ in lines }
        let watch = StopWatch(logger: logger, limit: .milliseconds(300))
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: watch.watched(Stubborn(holds: .seconds(1)), name: "stubborn")),
                       .init(service: watch.watched(Prompt(), name: "prompt")), .init(service: watch.reporter)],
            logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await Task.sleep(for: .milliseconds(100))
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        let errors = lines.messages.filter { $0.hasPrefix("error") }
        XCTAssertEqual(errors.count, 1, "\(lines.messages)")
        XCTAssertTrue(errors.first?.contains("stubborn") ?? false, "\(errors)")
        XCTAssertFalse(errors.first?.contains("prompt") ?? true, "\(errors)")
    }
}

/// A log handler keeping each message with its level and metadata, for the assertions.
private final class Lines: LogHandler, @unchecked Sendable {
    private let store = Mutex<[String]>([])
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    var messages: [String] { store.withLock { $0 } }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        store.withLock { $0.append("\(event.level) \(event.message) \(event.metadata ?? [:])") }
    }
}
