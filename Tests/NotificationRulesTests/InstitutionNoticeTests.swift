import Foundation
import NotificationRules
import XCTest

final class InstitutionNoticeTests: XCTestCase {
    private func institutionEntry(_ handling: [HandlingMeasure]) -> DeliveryPlanEntry? {
        let notice = Fixtures.notice(insuredRegions: [], handling: handling, suspectedCrime: false, officialsInvolved: false)
        return route(notice, subscriptions: Fixtures.registrations).delivery(to: "inst-H32010200001")
    }

    func testPenaltyBringsARectificationOrderDueIn30Days() {
        let entry = institutionEntry([.fine, .recovery])
        XCTAssertEqual(entry?.noticeType, .rectificationOrder)
        XCTAssertEqual(entry?.deadline, Date(timeIntervalSince1970: 1_740_794_400 + 30 * 86_400))
        XCTAssertEqual(entry?.reasons, ["R-INSTITUTION"])
    }

    func testInterviewHasNoDeadlineAndInquiryFifteenDays() {
        XCTAssertEqual(institutionEntry([.interview])?.noticeType, .interview)
        XCTAssertNil(institutionEntry([.interview])?.deadline)
        XCTAssertEqual(institutionEntry([.inquiry])?.noticeType, .inquiry)
        XCTAssertEqual(institutionEntry([.inquiry])?.deadline, Deadline.adding(days: 15, to: Fixtures.decisionDate))
    }

    func testTheStrongestMeasureDecides() {
        XCTAssertEqual(institutionEntry([.interview, .rectification])?.noticeType, .rectificationOrder)
        XCTAssertEqual(institutionEntry([.inquiry, .interview])?.noticeType, .interview)
        XCTAssertEqual(institutionEntry([.warning])?.noticeType, .caseNotification)
    }

    func testDeadlineDaysAreData() {
        let policy = InstitutionNoticePolicy(entries: [.init(measures: [.fine], noticeType: .rectificationOrder, deadlineDays: 10)])
        let rules = RoutingRuleSet(rules: RoutingRuleSet.defaults.rules, institutionNotices: policy)
        let notice = Fixtures.notice(handling: [.fine])
        let entry = route(notice, rules: rules, subscriptions: Fixtures.registrations).delivery(to: "inst-H32010200001")
        XCTAssertEqual(entry?.deadline, Date(timeIntervalSince1970: 1_740_794_400 + 10 * 86_400))
    }

    func testDeadlineCountsChinaCalendarDays() {
        // 2024-02-28 23:30 CST + 1 day is 2024-02-29 23:30 CST (leap year).
        let date = Date(timeIntervalSince1970: 1_709_134_200)
        XCTAssertEqual(Deadline.adding(days: 1, to: date).timeIntervalSince(date), 86_400)
        XCTAssertEqual(Deadline.adding(days: 1, to: date).formatted(.iso8601), "2024-02-29T15:30:00Z")
    }

    func testMergeKeepsTheDeadlineOfTheWinningType() {
        let subscription = Subscription(id: "inst-own", subscriber: Fixtures.directory[9])
        let notice = Fixtures.notice(handling: [.inquiry])
        let entry = route(notice, subscriptions: Fixtures.registrations + [subscription]).delivery(to: "inst-H32010200001")
        XCTAssertEqual(entry?.reasons, ["R-INSTITUTION", "inst-own"])
        XCTAssertEqual(entry?.noticeType, .inquiry)
        XCTAssertEqual(entry?.deadline, Deadline.adding(days: 15, to: Fixtures.decisionDate))
    }
}
