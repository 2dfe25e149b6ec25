import Foundation
import ReviewWorkflow
import XCTest

/// 举报线索办理: received → assigned → investigating → confirmed → rewarded → paid, or unfounded.
final class ReportWorkflowTests: XCTestCase {
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    func investigating() throws -> WhistleblowerReport {
        var report = WhistleblowerReport(reportId: "r1")
        try report.assign(to: "li", by: "boss", at: now)
        try report.link(ReportLinks(claims: ["c2", "c1"]), by: "li", at: now)
        return report
    }

    func testAFullRunNumbersEveryStepAndRewardsWithinTheRule() throws {
        var report = try investigating()
        try report.link(ReportLinks(claims: ["c1"], institutions: ["H1"]), by: "li", at: now)
        XCTAssertEqual(report.links, ReportLinks(claims: ["c1", "c2"], institutions: ["H1"]), "links are a sorted union")
        try report.confirm(recoveredAmount: 100_000, grade: 2, schedule: .standard, by: "boss", at: now)
        XCTAssertEqual(report.award?.amount, 2_000)
        try report.pay(reference: "PAY-1", by: "boss", at: now)
        XCTAssertEqual(report.state, .paid)
        XCTAssertEqual(report.steps.map(\.state), [.assigned, .investigating, .investigating, .confirmed, .rewarded, .paid])
        XCTAssertEqual(report.steps.map(\.number), Array(1...6))
        XCTAssertEqual(report.steps(after: 4).map(\.state), [.rewarded, .paid])
        XCTAssertTrue(report.state.isFinal)
    }

    func testTheRewardKeepsToTheFloorAndCapOfTheConfiguredSchedule() throws {
        let schedule = RewardSchedule(grades: [1: RewardRule(rate: 0.1, floor: 500, cap: 1_000)])
        var small = try investigating(), large = try investigating()
        try small.confirm(recoveredAmount: 100, grade: 1, schedule: schedule, by: "boss", at: now)
        try large.confirm(recoveredAmount: 1_000_000, grade: 1, schedule: schedule, by: "boss", at: now)
        XCTAssertEqual(small.award?.amount, 500)
        XCTAssertEqual(small.award?.floorApplied, true)
        XCTAssertEqual(large.award?.amount, 1_000)
        XCTAssertEqual(large.award?.capApplied, true)
        var unknown = try investigating()
        XCTAssertThrowsError(try unknown.confirm(recoveredAmount: 10, grade: 2, schedule: schedule, by: "boss", at: now)) {
            XCTAssertEqual(($0 as? ReportWorkflowError)?.description.hasPrefix("grade:"), true, "\($0)")
        }
        XCTAssertEqual(unknown.state, .investigating, "a refused decision changes nothing")
        XCTAssertThrowsError(try unknown.confirm(recoveredAmount: -1, grade: 1, schedule: schedule, by: "boss", at: now))
    }

    func testOutOfOrderActionsAreRefused() throws {
        var report = WhistleblowerReport(reportId: "r1")
        XCTAssertThrowsError(try report.confirm(recoveredAmount: 1, grade: 1, schedule: .standard, by: "boss", at: now)) {
            XCTAssertEqual($0 as? ReportWorkflowError, .invalidTransition(from: .received, action: "confirmed"))
        }
        XCTAssertThrowsError(try report.link(ReportLinks(claims: ["c"]), by: "li", at: now))
        XCTAssertThrowsError(try report.pay(reference: "P", by: "boss", at: now))
        var dismissed = try investigating()
        try dismissed.dismiss(reason: "no such treatment billed", by: "boss", at: now)
        XCTAssertEqual(dismissed.state, .unfounded)
        XCTAssertThrowsError(try dismissed.pay(reference: "P", by: "boss", at: now)) {
            XCTAssertEqual($0 as? ReportWorkflowError, .invalidTransition(from: .unfounded, action: "paid"))
        }
        XCTAssertThrowsError(try dismissed.assign(to: "wang", by: "boss", at: now))
        var confirmed = try investigating()
        try confirmed.confirm(recoveredAmount: 1, grade: 3, schedule: .standard, by: "boss", at: now)
        XCTAssertThrowsError(try confirmed.dismiss(reason: "changed my mind", by: "boss", at: now))
        try confirmed.pay(reference: "P", by: "boss", at: now)
        XCTAssertThrowsError(try confirmed.pay(reference: "P2", by: "boss", at: now), "paid only once")
        XCTAssertEqual(confirmed.paymentReference, "P")
    }

    func testOnlyTheAssigneeLinksAndDecisionsNeedTheirFields() throws {
        var report = WhistleblowerReport(reportId: "r1")
        XCTAssertThrowsError(try report.assign(to: " ", by: "boss", at: now))
        try report.assign(to: "li", by: "boss", at: now)
        XCTAssertThrowsError(try report.link(ReportLinks(claims: ["c"]), by: "zhang", at: now)) {
            XCTAssertEqual($0 as? ReportWorkflowError, .notAssignee(actor: "zhang", assignee: "li"))
        }
        XCTAssertThrowsError(try report.link(ReportLinks(), by: "li", at: now))
        XCTAssertThrowsError(try report.dismiss(reason: "", by: "boss", at: now))
        try report.link(ReportLinks(cases: ["CASE-1"]), by: "li", at: now)
        try report.assign(to: "wang", by: "boss", at: now)
        XCTAssertEqual(report.state, .investigating, "reassigning keeps the investigation going")
        XCTAssertEqual(report.assignee, "wang")
        var rewarded = report
        try rewarded.confirm(recoveredAmount: 10, grade: 1, schedule: .standard, by: "boss", at: now)
        XCTAssertThrowsError(try rewarded.pay(reference: " ", by: "boss", at: now))
    }

    func testTheReportSurvivesItsJSONForm() throws {
        var report = try investigating()
        try report.confirm(recoveredAmount: 12_345.67, grade: 1, schedule: .standard, by: "boss", at: now)
        let decoded = try JSONDecoder().decode(WhistleblowerReport.self, from: JSONEncoder().encode(report))
        XCTAssertEqual(decoded, report)
    }
}
