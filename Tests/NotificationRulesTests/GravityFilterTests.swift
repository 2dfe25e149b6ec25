import Foundation
import NotificationRules
import XCTest

/// Subscriptions filter by the case's gravity; a filter stored or sent before (`minimumSeverity`, 1 low … 3 high)
/// still reads, as the gravity of the same number.
final class GravityFilterTests: XCTestCase {
    func testGravityOrdersGraverAsGreaterAndDecodesFromNameOrNumber() throws {
        XCTAssertEqual(Gravity.allCases.sorted(), [.minor, .general, .serious, .fraud])
        XCTAssertEqual(Severity.allCases.sorted(), [.reminder, .suspected, .violation], "graver = greater for findings too")
        let decoded = try JSONDecoder().decode([Gravity].self, from: Data(#"["serious", 4, 1]"#.utf8))
        XCTAssertEqual(decoded, [.serious, .fraud, .minor])
        XCTAssertThrowsError(try JSONDecoder().decode([Gravity].self, from: Data(#"[5]"#.utf8)))
        XCTAssertEqual(String(decoding: try JSONEncoder().encode([Gravity.general]), as: UTF8.self), "[2]")
    }

    func testAnOldFilterReadsAsTheGravityOfTheSameNumber() throws {
        let old = try JSONDecoder().decode(SubscriptionFilter.self, from: Data(#"{"regions":[],"regionScope":"care","patterns":[],"minimumSeverity":2,"minimumAmount":0,"kinds":[]}"#.utf8))
        XCTAssertEqual(old.minimumGravity, .general)
        XCTAssertEqual(old.regionScope, .care)
        let new = try JSONDecoder().decode(SubscriptionFilter.self, from: Data(#"{"minimumGravity":"fraud"}"#.utf8))
        XCTAssertEqual(new, SubscriptionFilter(minimumGravity: .fraud))
        let again = try JSONDecoder().decode(SubscriptionFilter.self, from: try JSONEncoder().encode(new))
        XCTAssertEqual(again, new)
    }

    func testTheDirectoryFilterPassesNothing() {
        let subscriber = Subscriber(id: "police", type: .police, name: "公安", jurisdiction: "320100")
        let notice = Fixtures.notice(gravity: .fraud)
        XCTAssertFalse(matches(Subscription(id: "d", subscriber: subscriber, filter: .nothing), notice))
        XCTAssertTrue(matches(Subscription(id: "s", subscriber: subscriber, filter: SubscriptionFilter(minimumGravity: .fraud)), notice))
    }
}
