import Foundation
import NotificationRules
import XCTest

final class RetryPolicyTests: XCTestCase {
    private let policy = RetryPolicy(baseDelay: 30, maxDelay: 3_600, maxAttempts: 12, maxAge: 3 * 86_400)
    private let now = Date(timeIntervalSince1970: 1_735_689_600)

    func testCeilingDoublesUpToTheCap() {
        XCTAssertEqual((1...9).map(policy.ceiling(after:)), [30, 60, 120, 240, 480, 960, 1_920, 3_600, 3_600])
        XCTAssertEqual(policy.ceiling(after: 10_000), 3_600)
        XCTAssertEqual(policy.ceiling(after: 0), 30)
    }

    func testDelaysStayWithinFullJitterBounds() {
        var random = SeededRandom(seed: 42)
        for attempt in 1..<12 {
            var largest = 0.0
            for _ in 0..<500 {
                guard let next = policy.nextAttempt(after: attempt, at: now, random: &random) else { return XCTFail("budget") }
                let delay = next.timeIntervalSince(now)
                XCTAssertGreaterThanOrEqual(delay, 0)
                XCTAssertLessThanOrEqual(delay, policy.ceiling(after: attempt))
                largest = max(largest, delay)
            }
            XCTAssertGreaterThan(largest, 0.9 * policy.ceiling(after: attempt), "jitter spans the whole range")
        }
    }

    func testSameSeedSameSchedule() {
        var first = SeededRandom(seed: 7)
        var second = SeededRandom(seed: 7)
        var third = SeededRandom(seed: 8)
        let a = (1..<12).map { policy.nextAttempt(after: $0, at: now, random: &first) }
        let b = (1..<12).map { policy.nextAttempt(after: $0, at: now, random: &second) }
        let c = (1..<12).map { policy.nextAttempt(after: $0, at: now, random: &third) }
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
    }

    func testAttemptBudgetEndsInDeadLetter() {
        var random = SeededRandom(seed: 1)
        XCTAssertNotNil(policy.nextAttempt(after: 11, at: now, random: &random))
        XCTAssertNil(policy.nextAttempt(after: 12, at: now, random: &random))
        XCTAssertNil(policy.nextAttempt(after: 13, at: now, random: &random))
    }

    func testAgeBudgetEndsInDeadLetter() {
        var random = SeededRandom(seed: 1)
        let first = now.addingTimeInterval(-3 * 86_400 + 10)
        // A delay of up to 3600 s would pass the 3-day mark, which is 10 s away, unless it is tiny.
        let outcomes = (0..<200).map { _ in policy.nextAttempt(after: 9, at: now, firstAttemptAt: first, random: &random) }
        XCTAssertTrue(outcomes.contains(nil))
        for case let next? in outcomes { XCTAssertLessThanOrEqual(next, first.addingTimeInterval(3 * 86_400)) }
        XCTAssertNil(policy.nextAttempt(after: 1, at: now, firstAttemptAt: now.addingTimeInterval(-4 * 86_400), random: &random))
    }

    func testScheduleOfAWholeDeliveryIsBounded() {
        var random = SeededRandom(seed: 2025)
        var at = now
        var attempts = 1
        while let next = policy.nextAttempt(after: attempts, at: at, firstAttemptAt: now, random: &random) {
            XCTAssertGreaterThanOrEqual(next, at)
            at = next
            attempts += 1
        }
        XCTAssertLessThanOrEqual(attempts, 12)
        let longest = (1..<12).map(policy.ceiling(after:)).reduce(0, +)
        XCTAssertEqual(longest, 18_210)
        XCTAssertLessThanOrEqual(at.timeIntervalSince(now), longest)
    }
}
