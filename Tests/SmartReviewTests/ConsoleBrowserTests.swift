import Events
import Foundation
import Hummingbird
import Kafka
import NIOCore
import Persistence
import PostgresNIO
import ServiceLifecycle
import TestSupport
import XCTest
@testable import smart_review

/// The console in a real headless Chromium (scripts/browser-test.py, selenium): smart-review's router
/// served on a loopback port with its outbox relay to the real broker, driven from login to publication.
final class ConsoleBrowserTests: XCTestCase {
    func testReviewersDecideSecondReviewAndPublishACaseInABrowser() async throws {
        let python = "\(TestEnvironment.env["MEDSUP_CACHE"] ?? NSHomeDirectory() + "/.cache/medsup")/venv/bin/python"
        for tool in [python, "/usr/bin/chromium", "/usr/bin/chromedriver"] where !FileManager.default.isExecutableFile(atPath: tool) {
            XCTFail("\(tool) is missing: run scripts/setup.sh")
            return
        }
        let harness = try ReviewHarness()
        let outcomes = try TestEnvironment.consumer(group: TestEnvironment.unique("console-browser"), topics: [Topic.reviewOutcomes])
        try await harness.run { client in
            try await harness.flagClaims(1, prefix: "MD-CONSOLE")
            for (user, role) in [("first", "first_reviewer"), ("second", "second_reviewer"), ("super", "supervisor"), ("legal", "legal_reviewer")] {
                try await client.account(user, role: role, password: "\(user)-browser")
            }
            let port = ConsolePort()
            let runtime = harness.runtime
            let app = Application(router: harness.assembly.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                                  onServerRunning: { channel in port.set(channel.localAddress?.port ?? 0) }, logger: runtime.logger)
            let group = ServiceGroup(configuration: .init(
                services: [runtime.producer, OutboxRelay(database: runtime.database, producer: runtime.producer), app], logger: runtime.logger))
            let server = Task { try await group.run() }
            defer { server.cancel() }  // on an early failure; the normal path shuts down gracefully below
            for _ in 0..<100 where port.value == 0 { try await Task.sleep(for: .milliseconds(50)) }
            XCTAssertNotEqual(port.value, 0, "the console never listened")

            let status = try await Self.runScript(python, base: "http://127.0.0.1:\(port.value)")
            XCTAssertEqual(status, 0, "scripts/browser-test.py failed (its output is above)")

            let published = try await harness.count("cases", where: "state = 'published'")
            XCTAssertEqual(published, 1)
            let inspected = try await harness.count("cases", where: "source->>'kind' = 'flightInspection' AND attachments IS NOT NULL")
            XCTAssertEqual(inspected, 1, "the case opened in the browser from a flight inspection")
            let rows = try await harness.database.client.query(PostgresQuery(unsafeSQL: "SELECT case_id FROM \(harness.schema).cases WHERE state = 'published'")).collect()
            let caseID = try XCTUnwrap(rows.first).decode(String.self)
            let seen = ConsoleFlag()
            _ = try await collect(from: outcomes, distinct: 1_000, timeout: .seconds(30), stopWhen: { seen.value }) { message in
                if String(decoding: message.key ?? [], as: UTF8.self) == caseID { seen.set() }
            }
            await outcomes.shutdown()
            await group.triggerGracefulShutdown()
            _ = await server.result
            XCTAssertTrue(seen.value, "review.outcomes carries the case published in the browser")
            let logins = try await harness.count("audit_log", where: "action = 'login' AND actor IN ('first', 'second', 'super')")
            XCTAssertEqual(logins, 4, "each console login is in the full-process record (first, second, supervisor twice)")
        }
    }

    /// Runs the selenium script and passes its output through to the test log.
    static func runScript(_ python: String, base: String) async throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [TestEnvironment.repositoryRoot.appendingPathComponent("scripts/browser-test.py").path, base]
        try process.run()
        while process.isRunning { try await Task.sleep(for: .milliseconds(200)) }
        return process.terminationStatus
    }
}

final class ConsolePort: @unchecked Sendable {
    private let lock = NSLock()
    private var port = 0
    var value: Int { lock.withLock { port } }
    func set(_ value: Int) { lock.withLock { port = value } }
}

final class ConsoleFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false
    var value: Bool { lock.withLock { raised } }
    func set() { lock.withLock { raised = true } }
}
