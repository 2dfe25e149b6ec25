import Foundation
import Synchronization
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

    /// The deadlines' and pauses' sleep on an event loop's timer: it lasts its duration, and a
    /// cancelled one ends at once with `CancellationError` (as `Task.sleep` does), its timer gone.
    func testALoopSleepLastsItsDurationAndEndsAtOnceWhenCancelled() async throws {
        let clock = ContinuousClock()
        let slept = try await clock.measure { try await LoopSleep.sleep(for: .milliseconds(200)) }
        XCTAssertGreaterThanOrEqual(slept, .milliseconds(200))
        XCTAssertLessThan(slept, .seconds(2))
        let start = clock.now
        let sleeper = Task { try await LoopSleep.sleep(for: .seconds(30)) }
        try await Task.sleep(for: .milliseconds(50))
        sleeper.cancel()
        do {
            try await sleeper.value
            XCTFail("a cancelled sleep ran to its end")
        } catch is CancellationError {}
        XCTAssertLessThan(clock.now - start, .seconds(5))
        let early = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await LoopSleep.sleep(for: .seconds(30))
        }
        do {
            try await early.value
            XCTFail("a sleep begun cancelled slept")
        } catch is CancellationError {}
    }

    /// The health's watch of a transaction: called once when the database is found down, at once
    /// when it is down already, never once disarmed (the transaction ended first).
    func testAWatchOfTheDatabaseIsCalledOnceWhenFoundDownAndNeverOnceDisarmed() {
        let availability = DatabaseAvailability()
        let calls = Mutex([String]())
        _ = availability.onDown { calls.withLock { $0.append("first") } }
        let disarmed = availability.onDown { calls.withLock { $0.append("disarmed") } }
        disarmed()
        availability.record(up: false)
        availability.record(up: false)
        XCTAssertEqual(calls.withLock { $0 }, ["first"])
        _ = availability.onDown { calls.withLock { $0.append("late") } }
        XCTAssertEqual(calls.withLock { $0 }, ["first", "late"], "a watch armed while the database is down fires at once")
        availability.record(up: true)
        _ = availability.onDown { calls.withLock { $0.append("after") } }
        XCTAssertEqual(calls.withLock { $0 }, ["first", "late"])
    }
}
