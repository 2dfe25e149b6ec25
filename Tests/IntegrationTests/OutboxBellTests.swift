import Persistence
import XCTest

/// The relay's bell: a ring ends the wait at once, a ring before the wait is not lost, and with
/// no ring the wait lasts its limit.
final class OutboxBellTests: XCTestCase {
    func testARingEndsTheWaitAndARingBeforeTheWaitIsKept() async throws {
        let bell = OutboxBell.of(UUID().uuidString), clock = ContinuousClock()
        let ringer = Task {
            try await Task.sleep(for: .milliseconds(100))
            bell.ring()
        }
        let woken = await clock.measure { await bell.wait(upTo: .seconds(30)) }
        XCTAssertLessThan(woken, .seconds(10), "woken by the ring, not the limit")
        try await ringer.value

        bell.ring()
        let early = await clock.measure { await bell.wait(upTo: .seconds(30)) }
        XCTAssertLessThan(early, .seconds(10), "a ring while nobody waited ends the next wait")

        let idle = await clock.measure { await bell.wait(upTo: .milliseconds(300)) }
        XCTAssertGreaterThanOrEqual(idle, .milliseconds(300), "no ring: the whole limit")
    }
}
