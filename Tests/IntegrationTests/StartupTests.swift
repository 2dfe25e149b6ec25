import Foundation
import Hummingbird
import HummingbirdTesting
import Persistence
import ServiceKit
import TestSupport
import XCTest

final class StartupTests: XCTestCase {
    /// A service started while the broker is down answers /health, reports /ready 503 naming
    /// Kafka, and becomes ready by itself once the broker comes up.
    func testStartsWithBrokerDownAndBecomesReadyWhenItComesUp() async throws {
        let port = 19_093
        let configuration = try PlatformConfiguration(service: "startup-test", defaultHTTPPort: 0,
                                                      environment: TestEnvironment.platformEnvironment(brokers: "127.0.0.1:\(port)"))
        let runtime = try PlatformRuntime(configuration: configuration)
        let app = runtime.makeApplication(router: runtime.makeRouter())
        let broker = BrokerProcess()
        defer { broker.stop() }
        try await runtime.database.withRunning {
            try await runtime.prepareDatabase(migrations: [])
            try await app.test(.router) { client in
                try await client.execute(uri: "/health", method: .get) { XCTAssertEqual($0.status, .ok) }
                try await client.execute(uri: "/ready", method: .get) { response in
                    XCTAssertEqual(response.status, .serviceUnavailable)
                    XCTAssertTrue(String(buffer: response.body).contains("\"kafka\":\"down\""))
                }
                try broker.start(port: port)
                var ready = false
                for _ in 0..<60 where !ready {
                    try await client.execute(uri: "/ready", method: .get) { ready = $0.status == .ok }
                    if !ready { try await Task.sleep(for: .milliseconds(500)) }
                }
                XCTAssertTrue(ready, "ready once the broker is up")
            }
            try await runtime.producer.send(.init(topic: TestEnvironment.unique("t.late"), key: nil, value: Array("x".utf8)))
            await runtime.producer.shutdown()
        }
    }

}

/// A Tansu broker started and stopped by a test.
final class BrokerProcess: @unchecked Sendable {
    private var process: Process?

    /// Tansu ignores SIGTERM and SIGINT: only SIGKILL stops it.
    func stop() {
        guard let process else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func start(port: Int) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestEnvironment.tansu)
        process.arguments = ["broker", "--listener-url", "tcp://127.0.0.1:\(port)", "--advertised-listener-url", "tcp://127.0.0.1:\(port)",
                             "--storage-engine", "memory://tansu/"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
    }
}

final class MigratorTests: XCTestCase {
    /// Two helpers once gave intake two migrations numbered 3: the service must refuse to start
    /// with a message naming both, not retry an insert that can never succeed.
    func testTwoMigrationsWithOneVersionAreRefusedByName() async throws {
        let database = try TestEnvironment.database()
        try await database.withRunning {
            do {
                try await Migrator(database).migrate([Migration(3, "first", "SELECT 1"), Migration(3, "second", "SELECT 2")])
                XCTFail("duplicate versions were accepted")
            } catch let error as MigrationError {
                XCTAssertTrue(error.description.contains("3 (first; second)"), error.description)
            }
        }
    }
}
