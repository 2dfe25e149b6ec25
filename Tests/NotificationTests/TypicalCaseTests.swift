import Events
import Foundation
import HummingbirdTesting
import TestSupport
import XCTest
@testable import notification

final class TypicalCaseTests: XCTestCase {
    /// A case the bureau marked typical is exposed as 典型案例曝光 on the public feed, persons anonymised;
    /// an ordinary one stays an enforcement result.
    func testATypicalCaseIsExposedAnonymisedOnThePublicFeed() async throws {
        let harness = try NotificationHarness()
        try await harness.run { client in
            var typical = Fixture.decided("CASE-TYPICAL")
            typical.typical = true
            try await harness.apply(try Fixture.event(typical))
            try await harness.apply(try Fixture.event(Fixture.decided("CASE-ORDINARY")))
            let cases = try await client.call("/public/cases", token: nil).array
            let categories = Dictionary(uniqueKeysWithValues: cases.compactMap { entry in
                (entry["case_id"] as? String).map { ($0, entry["category"] as? String ?? "") }
            })
            XCTAssertEqual(categories, ["CASE-TYPICAL": "typicalCase", "CASE-ORDINARY": "enforcementResult"])
            let text = try await client.call("/public/cases/CASE-TYPICAL", token: nil).text
            XCTAssertTrue(text.contains("典型案例曝光"))
            for secret in ["张三", "430102199001011234", "李四"] {
                XCTAssertFalse(text.contains(secret), "a typical case names no one: \(secret)")
            }
        }
    }
}
