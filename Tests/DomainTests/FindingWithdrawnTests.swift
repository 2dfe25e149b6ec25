import Events
import Foundation
import XCTest

/// The withdrawal event on `review.findings`: its type beside the finding's, and its payload through a CloudEvent.
final class FindingWithdrawnTests: XCTestCase {
    func testTravelsAsACloudEventOfItsOwnTypeAndDecodesAsSent() throws {
        let withdrawn = FindingWithdrawn(findingId: "JR-0123456789abcdef", claimId: "P43010000004/MD1/S1", patnId: "43010000000000000001",
                                         medinsId: "P43010000004", pattern: "P23", cause: "contradicted",
                                         reason: "contradicted by later evidence: settlement H43010000001/V1/S1",
                                         reasonZh: "后到的结算H43010000001/V1/S1表明该问题不成立", byClaimId: "H43010000001/V1/S1",
                                         withdrawnAt: Date(timeIntervalSince1970: 1_790_000_000))
        XCTAssertNotEqual(EventType.findingWithdrawn, EventType.finding)
        XCTAssertTrue(EventType.findingWithdrawn.hasPrefix(EventType.finding + "."))
        let event = try CloudEvent(id: withdrawn.eventID, source: "/smart-review", type: EventType.findingWithdrawn, encoding: withdrawn)
        XCTAssertEqual(event.type, "cn.hsa.review.finding.withdrawn")
        XCTAssertEqual(try event.decode(FindingWithdrawn.self), withdrawn)
        XCTAssertEqual(withdrawn.eventID, "finding-withdrawn:JR-0123456789abcdef")
    }
}
