import Foundation
import KnowledgeBase
import PlatformClient
import TestSupport
import TrafficGenerator
import XCTest

/// A few hundred generated settlements through 3102 to the four service processes: every accepted
/// claim is reviewed (初审全覆盖), and pushing the same messages again records nothing twice.
/// The services behind intake run under `nice` 10, as scripts/lib.sh starts them.
final class CoverageTests: XCTestCase {
    func testEveryAcceptedClaimIsReviewedAndARepeatedPushChangesNothing() async throws {
        let services = try ServiceProcesses(niceness: ["smart-review": 10, "credit": 10, "notification": 10])
        addTeardownBlock { services.stop() }
        try await services.start()
        let kb = try KnowledgeBase.load(directory: TestEnvironment.repositoryRoot.appendingPathComponent("reference/kb"))
        let count = 300
        let traffic = TrafficGenerator(knowledgeBase: kb, configuration: GeneratorConfiguration(seed: 20_261_127, count: count, violationRate: 0.15))
            .generate()
        let push = HospitalPush(platform: services.platform)
        let answered = try await push.push(traffic.map(\.patient), perCall: 25)
        XCTAssertFalse(answered.isEmpty, "the injected violations show in the real-time answers")

        let report = try await services.platform.awaitCoverage(of: count, timeout: .seconds(90))
        XCTAssertEqual(report.notReviewed, [], "coverage shows no gap")
        XCTAssertGreaterThanOrEqual(report.claimsReviewed, count)
        XCTAssertEqual(report.claimsReviewed, report.claimsReceived)

        // The same messages again (same msgids): the same answers, and no claim is added for them.
        let again = try await push.push(traffic.map(\.patient), perCall: 25)
        XCTAssertEqual(again, answered)
        let after = try await services.platform.coverage()
        XCTAssertEqual(after.notReviewed, [])
        XCTAssertEqual(after.claimsReceived, report.claimsReceived, "a repeated message is one message")

        // The review did its work at the `nice` it was started with: its event loops, which run
        // its tasks, and librdkafka's threads they started. Not libdispatch's own pool threads
        // (named "…qos…"), whose `nice` libdispatch sets itself.
        // `nice -n 10` adds to the test process's own.
        let threads = try services.threads("smart-review").filter { !$0.name.contains("qos") }
        let started = try XCTUnwrap(threads.first { $0.isMain }?.nice)
        XCTAssertGreaterThan(started, 0)
        XCTAssertTrue(threads.contains { $0.name.hasPrefix("NIO-") } && threads.contains { $0.name.hasPrefix("rdk:") }, "\(threads)")
        XCTAssertEqual(threads.filter { $0.nice != started }.map { "\($0.name) \($0.nice)" }, [], "threads of smart-review not at its nice (\(started))")
    }
}
