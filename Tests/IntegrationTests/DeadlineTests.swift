import Foundation
import XCTest
@testable import Persistence

final class DeadlineTests: XCTestCase {
    /// A body stuck where cancellation cannot reach it (as a query on a connection the server
    /// closed) is given up at the deadline; a body that ends in time returns its value.
    func testAStuckBodyIsGivenUpAtItsDeadline() async throws {
        let clock = ContinuousClock(), start = clock.now
        do {
            _ = try await giveUp(after: .milliseconds(300)) { () async throws -> Int in
                await withCheckedContinuation { (_: CheckedContinuation<Void, Never>) in } // never resumed
                return 1
            }
            XCTFail("a stuck body returned")
        } catch let timeout as TransactionTimeout {
            XCTAssertEqual(timeout.limit, .milliseconds(300))
        }
        XCTAssertLessThan(clock.now - start, .seconds(5))
        let value = try await giveUp(after: .seconds(5)) { 42 }
        XCTAssertEqual(value, 42)
    }
}
