import AuditChain
import Foundation
import PlatformClient
import PostgresNIO
import TestSupport
import XCTest

/// `medsup verify-audit` against the four running services: operators' actions at intake are
/// chained, their heads reach notification's public feed, and once entries are cut from intake's
/// chain and one rewritten behind the trigger's back, verification names both.
final class AuditVerificationTests: XCTestCase {
    func testACutEndAndARewrittenEntryOfARunningServiceAreBothNamed() async throws {
        let services = try ServiceProcesses(extra: ["AUDIT_HEAD_SECONDS": "1"])
        addTeardownBlock { services.stop() }
        try await services.start()
        let platform = services.platform
        for institution in ["H43010000001", "H43010000002", "H43010000003", "P43010000004"] { _ = try await platform.issueCredentials(institution) }
        let announced = try await eventually {
            let reports = try await AuditVerification.check(platform)
            return reports.first { $0.service == "intake" }.map { $0.entries == 4 && $0.publishedHeads > 0 } ?? false
        }
        XCTAssertTrue(announced, "intake's head reaches the public feed:\n\(services.log("notification").suffix(2000))")
        let intact = try await AuditVerification.check(platform)
        XCTAssertEqual(intact.flatMap(\.findings), [], intact.map(\.summary).joined(separator: "\n"))

        let database = try TestEnvironment.database(schema: "\(services.run)_intake")
        try await database.withRunning {
            for statement in ["ALTER TABLE {schema}.audit_log DISABLE TRIGGER USER", "DELETE FROM {schema}.audit_log WHERE sequence > 2",
                              "UPDATE {schema}.audit_log SET actor = 'nobody' WHERE sequence = 1"] {
                try await database.client.query(PostgresQuery(unsafeSQL: statement.replacingOccurrences(of: "{schema}", with: database.schema)),
                                                logger: database.logger)
            }
        }
        let broken = try await AuditVerification.check(platform)
        let intake = try XCTUnwrap(broken.first { $0.service == "intake" })
        XCTAssertEqual(intake.findings, [.altered(sequence: 1), .truncated(publishedHead: 4, chainEnds: 2)], intake.summary)
        XCTAssertEqual(broken.filter { $0.service != "intake" }.flatMap(\.findings), [], "the other chains stand")
    }
}
