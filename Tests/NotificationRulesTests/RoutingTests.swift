import Foundation
import NotificationRules
import XCTest

final class RoutingTests: XCTestCase {
    private func plan(_ notice: CaseNotice, _ subscriptions: [Subscription] = Fixtures.registrations) -> RoutingPlan {
        route(notice, subscriptions: subscriptions)
    }

    private func summary(_ plan: RoutingPlan) -> [String: NoticeType] {
        Dictionary(uniqueKeysWithValues: plan.deliveries.map { ($0.subscriberId, $0.noticeType) })
    }

    func testFullCaseFollowsTheDocuments() {
        let result = plan(Fixtures.notice())
        XCTAssertEqual(summary(result), [
            "police-320102": .referral,
            "discipline-320100": .referral,
            "market-320100": .clueTransfer,
            "drug-320000": .clueTransfer,
            "bureau-320100": .crossRegionCoordination,
            "bureau-110000": .crossRegionCoordination,
            "inst-H32010200001": .rectificationOrder,
        ])
        XCTAssertEqual(result.unrouted, [])
        XCTAssertEqual(result.delivery(to: "police-320102")?.reasons, ["R-CRIME"])
        XCTAssertEqual(result.delivery(to: "police-320102")?.expectsFeedback, true)
        XCTAssertEqual(result.delivery(to: "police-320102")?.mandatory, true)
        XCTAssertEqual(result.deliveries.map(\.subscriberId), result.deliveries.map(\.subscriberId).sorted())
    }

    func testReferralGoesToTheMostSpecificCompetentAuthority() {
        let result = plan(Fixtures.notice(careRegion: "320105", insuredRegions: []))
        XCTAssertNotNil(result.delivery(to: "police-320100"), "no county police registered for 320105: the city's")
        XCTAssertNil(result.delivery(to: "police-320102"))
    }

    func testOneEntryPerSubscriberWithAllReasons() {
        let police = Fixtures.directory[0]
        let extra = Subscription(id: "sub-police-pricing", subscriber: police, filter: SubscriptionFilter(patterns: ["P03"]))
        let result = plan(Fixtures.notice(), Fixtures.registrations + [extra])
        let entries = result.deliveries.filter { $0.subscriberId == police.id }
        XCTAssertEqual(entries.count, 1)
        XCTAssertEqual(entries.first?.reasons, ["R-CRIME", "sub-police-pricing"])
        XCTAssertEqual(entries.first?.noticeType, .referral)
        XCTAssertEqual(entries.first?.mandatory, true)
    }

    func testSubscriptionAloneGivesAnInformationalNotice() {
        let audit = Subscription(id: "audit-big", subscriber: Fixtures.directory[6], filter: SubscriptionFilter(minimumAmount: 100_000))
        let result = plan(Fixtures.notice(), Fixtures.registrations + [audit])
        XCTAssertEqual(result.delivery(to: "audit-320100"),
                       DeliveryPlanEntry(subscriberId: "audit-320100", subscriberType: .audit, noticeType: .caseNotification,
                                         reasons: ["audit-big"], mandatory: false))
        XCTAssertNil(plan(Fixtures.notice(amount: 99_999), Fixtures.registrations + [audit]).delivery(to: "audit-320100"))
    }

    func testMissingReceiverIsReportedNotDropped() {
        let withoutPolice = Fixtures.registrations.filter { $0.subscriber.type != .police }
        let result = plan(Fixtures.notice(), withoutPolice)
        XCTAssertEqual(result.unrouted, [UnroutedRule(ruleId: "R-CRIME", target: .agencies(.police, .care), region: "320102")])
        let withoutInstitution = Fixtures.registrations.filter { $0.subscriber.type != .institution }
        XCTAssertEqual(plan(Fixtures.notice(), withoutInstitution).unrouted.map(\.ruleId), ["R-INSTITUTION"])
    }

    func testInactiveSubscriptionIsNoEndpoint() {
        var registrations = Fixtures.registrations
        registrations[0].active = false
        registrations[1].active = false
        XCTAssertEqual(plan(Fixtures.notice(), registrations).unrouted.map(\.ruleId), ["R-CRIME"])
    }

    func testSimpleLocalCaseReachesOnlyTheInstitution() {
        let notice = Fixtures.notice(insuredRegions: ["320105"], patterns: ["P01"], gravity: .minor, handling: [.warning],
                                     suspectedCrime: false, officialsInvolved: false)
        XCTAssertEqual(summary(plan(notice)), ["inst-H32010200001": .caseNotification])
    }

    func testPenaltyWithoutReferralIsPublished() {
        let notice = Fixtures.notice(insuredRegions: [], patterns: ["P01"], suspectedCrime: false, officialsInvolved: false)
        let result = plan(notice)
        XCTAssertEqual(result.delivery(to: "public-320100")?.noticeType, .publicDisclosure)
        XCTAssertEqual(result.delivery(to: "public-320100")?.reasons, ["R-PUBLIC-ENFORCEMENT"])
        XCTAssertNil(plan(Fixtures.notice()).delivery(to: "public-320100"), "withheld while police decide")
    }

    func testMedicalConductGoesToHealthCommissionFromGeneralGravity() {
        let base = { (gravity: Gravity) in
            Fixtures.notice(insuredRegions: [], patterns: ["P18"], gravity: gravity, suspectedCrime: false, officialsInvolved: false)
        }
        XCTAssertEqual(plan(base(.general)).delivery(to: "health-320100")?.noticeType, .clueTransfer)
        XCTAssertNil(plan(base(.minor)).delivery(to: "health-320100"))
    }

    func testCrossRegionIsJudgedAtCityLevel() {
        let sameCity = Fixtures.notice(insuredRegions: ["320105"], suspectedCrime: false)
        XCTAssertNil(plan(sameCity).delivery(to: "bureau-320100"))
        let otherCity = Fixtures.notice(insuredRegions: ["320205"], suspectedCrime: false)
        XCTAssertEqual(plan(otherCity).delivery(to: "bureau-320100")?.noticeType, .crossRegionCoordination)
        XCTAssertEqual(plan(otherCity).unrouted, [UnroutedRule(ruleId: "R-CROSS-REGION", target: .agencies(.insuranceBureau, .careAndInsured), region: "320205")],
                       "no bureau registered for Wuxi")
    }

    func testCreditChangeAndInspectionPlan() {
        let credit = Fixtures.notice(kind: .creditChange, handling: [])
        XCTAssertEqual(summary(plan(credit)), ["inst-H32010200001": .creditNotice], "referral flags concern case outcomes only")
        let inspection = Fixtures.notice(kind: .inspectionPlan, insuredRegions: [], patterns: [], handling: [],
                                         suspectedCrime: false, officialsInvolved: false)
        XCTAssertEqual(summary(plan(inspection)), ["public-320100": .publicDisclosure], "flight inspections are not announced to the institution")
    }

    func testRulesAreData() throws {
        let data = try JSONEncoder().encode(RoutingRuleSet.defaults)
        XCTAssertEqual(try JSONDecoder().decode(RoutingRuleSet.self, from: data), .defaults)
        var custom = RoutingRuleSet.defaults
        custom.rules.removeAll { $0.id == "R-PRICING" }
        XCTAssertNil(route(Fixtures.notice(), rules: custom, subscriptions: Fixtures.registrations).delivery(to: "market-320100"))
    }
}
