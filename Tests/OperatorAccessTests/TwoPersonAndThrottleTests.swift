import Foundation
import OperatorAccess
import XCTest

final class TwoPersonApprovalTests: XCTestCase {
    func testTheAskerOpensOnlyAfterASecondPersonApproved() throws {
        var request = try TwoPersonApproval(requester: "wang", reason: "核实举报人身份以发放举报奖励")
        XCTAssertThrowsError(try request.carryOut(by: "wang")) { XCTAssertEqual($0 as? TwoPersonApproval.Refusal, .notApproved(.pending)) }
        XCTAssertThrowsError(try request.approve(by: "wang")) { XCTAssertEqual($0 as? TwoPersonApproval.Refusal, .sameApprover) }
        try request.approve(by: "li")
        XCTAssertEqual(request.approver, "li")
        XCTAssertThrowsError(try request.approve(by: "zhao")) { XCTAssertEqual($0 as? TwoPersonApproval.Refusal, .notPending(.approved)) }
        XCTAssertThrowsError(try request.carryOut(by: "li")) { XCTAssertEqual($0 as? TwoPersonApproval.Refusal, .notRequester) }
        try request.carryOut(by: "wang")
        XCTAssertEqual(request.state, .carriedOut)
        XCTAssertThrowsError(try request.carryOut(by: "wang"), "an approval is used once")
    }

    func testAReasonIsRequired() {
        XCTAssertThrowsError(try TwoPersonApproval(requester: "wang", reason: "   short   ")) {
            XCTAssertEqual($0 as? TwoPersonApproval.Refusal, .reasonTooShort(minimum: 10))
        }
    }
}

final class LoginThrottleTests: XCTestCase {
    func testANameIsLockedAfterTheLimitOfFailuresWithinTheWindow() {
        let throttle = LoginThrottle(policy: .init(limit: 3, window: 60, lockout: 300))
        let start = Date(timeIntervalSince1970: 1_000_000)
        XCTAssertFalse(throttle.failed("wang", now: start))
        XCTAssertFalse(throttle.failed("wang", now: start.addingTimeInterval(61)), "the first failure fell out of the window")
        XCTAssertFalse(throttle.failed("wang", now: start.addingTimeInterval(62)))
        XCTAssertEqual(throttle.verdict(for: "wang", now: start.addingTimeInterval(62)), .allowed)
        XCTAssertTrue(throttle.failed("wang", now: start.addingTimeInterval(63)))
        XCTAssertEqual(throttle.verdict(for: "wang", now: start.addingTimeInterval(64)), .locked(until: start.addingTimeInterval(363)))
        XCTAssertEqual(throttle.verdict(for: "li", now: start.addingTimeInterval(64)), .allowed, "another name is not affected")
        XCTAssertEqual(throttle.verdict(for: "wang", now: start.addingTimeInterval(364)), .allowed, "the lock ends")
    }

    func testASuccessClearsTheFailures() {
        let throttle = LoginThrottle(policy: .init(limit: 2, window: 60, lockout: 300))
        let now = Date()
        throttle.failed("wang", now: now)
        throttle.succeeded("wang")
        XCTAssertFalse(throttle.failed("wang", now: now))
    }
}
