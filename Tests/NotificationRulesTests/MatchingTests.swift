import Foundation
import NotificationRules
import XCTest

final class MatchingTests: XCTestCase {
    private let agency = Fixtures.subscriber("audit-320000", .audit, "320000")

    private func subscription(_ filter: SubscriptionFilter, active: Bool = true) -> Subscription {
        Subscription(id: "s", subscriber: agency, filter: filter, active: active)
    }

    func testEmptyFilterMatchesEverything() {
        XCTAssertTrue(matches(subscription(SubscriptionFilter()), Fixtures.notice()))
        XCTAssertFalse(matches(subscription(SubscriptionFilter(), active: false), Fixtures.notice()))
    }

    func testRegionFilterCoversLowerLevelsAndHonoursScope() {
        let notice = Fixtures.notice(careRegion: "320102", insuredRegions: ["110105"])
        XCTAssertTrue(matches(subscription(SubscriptionFilter(regions: ["320000"], regionScope: .care)), notice))
        XCTAssertTrue(matches(subscription(SubscriptionFilter(regions: ["320100"], regionScope: .care)), notice))
        XCTAssertFalse(matches(subscription(SubscriptionFilter(regions: ["320200"], regionScope: .care)), notice))
        XCTAssertFalse(matches(subscription(SubscriptionFilter(regions: ["320000"], regionScope: .insured)), notice))
        XCTAssertTrue(matches(subscription(SubscriptionFilter(regions: ["110000"], regionScope: .insured)), notice))
        XCTAssertTrue(matches(subscription(SubscriptionFilter(regions: ["110000"], regionScope: .careAndInsured)), notice))
        XCTAssertTrue(matches(subscription(SubscriptionFilter(regions: ["000000"], regionScope: .care)), notice))
    }

    func testPatternsGravityAmountAndKinds() {
        let notice = Fixtures.notice(patterns: ["P03"], gravity: .general, amount: 5_000)
        XCTAssertTrue(matches(subscription(SubscriptionFilter(patterns: ["P03", "P12"])), notice))
        XCTAssertFalse(matches(subscription(SubscriptionFilter(patterns: ["P12"])), notice))
        XCTAssertTrue(matches(subscription(SubscriptionFilter(minimumGravity: .general)), notice))
        XCTAssertFalse(matches(subscription(SubscriptionFilter(minimumGravity: .serious)), notice))
        XCTAssertTrue(matches(subscription(SubscriptionFilter(minimumAmount: 5_000)), notice))
        XCTAssertFalse(matches(subscription(SubscriptionFilter(minimumAmount: 5_000.01)), notice))
        XCTAssertTrue(matches(subscription(SubscriptionFilter(kinds: [.caseOutcome])), notice))
        XCTAssertFalse(matches(subscription(SubscriptionFilter(kinds: [.creditChange, .inspectionPlan])), notice))
    }

    func testInstitutionMatchesOnlyItsOwnNotices() {
        let own = Subscription(id: "own", subscriber: Fixtures.directory[9])
        let other = Subscription(id: "other", subscriber: Fixtures.directory[10])
        XCTAssertTrue(matches(own, Fixtures.notice()))
        XCTAssertFalse(matches(other, Fixtures.notice()))
    }

    func testRegionCodes() {
        XCTAssertEqual(RegionCode.prefix(of: "320100"), "3201")
        XCTAssertEqual(RegionCode.prefix(of: "000000"), "")
        XCTAssertEqual(RegionCode.specificity(of: "320102"), 6)
        XCTAssertTrue(RegionCode.covers("320000", "320102"))
        XCTAssertFalse(RegionCode.covers("320100", "320201"))
        XCTAssertTrue(RegionCode.sameArea("320102", "320105", at: .city))
        XCTAssertFalse(RegionCode.sameArea("320102", "320105", at: .county))
        XCTAssertFalse(RegionCode.sameArea("320102", "110105", at: .province))
    }
}
