import Foundation
import ReviewWorkflow
import XCTest

/// The work queue: order by severity then amount, leases that lapse by themselves.
final class ReviewQueueTests: XCTestCase {
    func item(_ id: String, _ severity: Severity, _ amount: Decimal, at seconds: TimeInterval = 0) -> QueueItem {
        QueueItem(id: id, severity: severity, amount: amount, enqueuedAt: instant(seconds))
    }

    var queue: ReviewQueue {
        ReviewQueue(items: [
            item("reminder-big", .reminder, 90_000),
            item("suspected-small", .suspected, 100),
            item("violation-small", .violation, 50),
            item("violation-big", .violation, 5_000),
            item("suspected-big-late", .suspected, 3_000, at: 10),
            item("suspected-big-early", .suspected, 3_000, at: 5),
        ])
    }

    func testOrderIsSeverityThenAmountThenAge() {
        XCTAssertEqual(queue.available(at: instant()).map(\.id), [
            "violation-big", "violation-small", "suspected-big-early", "suspected-big-late", "suspected-small", "reminder-big",
        ])
    }

    func testLeasedItemLeavesTheQueueUntilTheLeaseExpires() throws {
        var queue = queue
        let lease = try queue.claim("violation-big", by: "alice", at: instant(), for: 600)
        XCTAssertEqual(lease.expiresAt, instant(600))
        XCTAssertFalse(queue.available(at: instant(599)).contains { $0.id == "violation-big" })
        XCTAssertEqual(queue.available(at: instant(600)).first?.id, "violation-big", "expired at expiresAt")
        XCTAssertThrowsError(try queue.claim("violation-big", by: "bob", at: instant(300), for: 600)) {
            XCTAssertEqual($0 as? QueueError, .leasedByOther(holder: "alice", until: instant(600)))
        }
        let taken = try queue.claim("violation-big", by: "bob", at: instant(601), for: 600)
        XCTAssertEqual(taken.holder, "bob")
        XCTAssertEqual(taken.claimedAt, instant(601))
    }

    func testClaimNextTakesTheFirstAvailableInOrder() throws {
        var queue = queue
        XCTAssertEqual(try queue.claimNext(by: "alice", at: instant(), for: 60)?.itemID, "violation-big")
        XCTAssertEqual(try queue.claimNext(by: "bob", at: instant(1), for: 60)?.itemID, "violation-small")
        XCTAssertEqual(try queue.claimNext(by: "carol", at: instant(61), for: 60)?.itemID, "violation-big")
        var empty = ReviewQueue()
        XCTAssertNil(try empty.claimNext(by: "alice", at: instant(), for: 60))
    }

    func testRenewalKeepsTheClaimTime() throws {
        var queue = queue
        try queue.claim("violation-small", by: "alice", at: instant(), for: 60)
        let renewed = try queue.claim("violation-small", by: "alice", at: instant(50), for: 60)
        XCTAssertEqual(renewed.claimedAt, instant())
        XCTAssertEqual(renewed.expiresAt, instant(110))
    }

    func testOnlyTheLiveHolderCompletesOrReleases() throws {
        var queue = queue
        try queue.claim("violation-big", by: "alice", at: instant(), for: 60)
        XCTAssertThrowsError(try queue.complete("violation-big", by: "bob", at: instant(10))) {
            XCTAssertEqual($0 as? QueueError, .noLiveLease("violation-big"))
        }
        XCTAssertThrowsError(try queue.complete("violation-big", by: "alice", at: instant(60)), "lease lapsed")
        try queue.claim("violation-big", by: "alice", at: instant(70), for: 60)
        let done = try queue.complete("violation-big", by: "alice", at: instant(80))
        XCTAssertEqual(done.id, "violation-big")
        XCTAssertFalse(queue.items.contains { $0.id == "violation-big" })
        XCTAssertNil(queue.lease(on: "violation-big", at: instant(80)))

        try queue.claim("violation-small", by: "alice", at: instant(90), for: 60)
        try queue.release("violation-small", by: "alice", at: instant(91))
        XCTAssertEqual(queue.available(at: instant(91)).first?.id, "violation-small")
    }

    func testInvalidClaimsAreRefused() {
        var queue = queue
        XCTAssertThrowsError(try queue.claim("nope", by: "alice", at: instant(), for: 60)) {
            XCTAssertEqual($0 as? QueueError, .unknownItem("nope"))
        }
        XCTAssertThrowsError(try queue.claim("violation-big", by: "alice", at: instant(), for: 0)) {
            XCTAssertEqual($0 as? QueueError, .invalidDuration(0))
        }
    }

    func testHousekeepingDropsOnlyExpiredLeases() throws {
        var queue = queue
        try queue.claim("violation-big", by: "alice", at: instant(), for: 60)
        try queue.claim("violation-small", by: "bob", at: instant(), for: 600)
        let dropped = queue.dropExpiredLeases(at: instant(100))
        XCTAssertEqual(dropped.map(\.itemID), ["violation-big"])
        XCTAssertEqual(queue.leases.keys.sorted(), ["violation-small"])
    }

    func testEnqueueReplacesAnItemWithTheSameID() {
        var queue = queue
        queue.enqueue(item("reminder-big", .violation, 90_000))
        XCTAssertEqual(queue.items.count, 6)
        XCTAssertEqual(queue.available(at: instant()).first?.id, "reminder-big")
    }
}
