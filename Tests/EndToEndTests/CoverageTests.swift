import Foundation
import KnowledgeBase
import PlatformClient
import TestSupport
import TrafficGenerator
import XCTest

/// A few hundred generated settlements through 3102 to the four service processes: every accepted
/// claim is reviewed (初审全覆盖), and pushing the same messages again records nothing twice.
final class CoverageTests: XCTestCase {
    func testEveryAcceptedClaimIsReviewedAndARepeatedPushChangesNothing() async throws {
        let services = try ServiceProcesses()
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
    }
}
