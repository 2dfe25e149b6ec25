import Foundation
import ServiceKit
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// `SERVICE_CPU_CLASS`: read from the environment, and the class as the kernel then reports it.
final class CPUClassTests: XCTestCase {
    func testReadFromTheEnvironment() throws {
        XCTAssertEqual(try CPUClass.fromEnvironment([:]), .normal)
        XCTAssertEqual(try CPUClass.fromEnvironment(["SERVICE_CPU_CLASS": "idle"]), .idle)
        XCTAssertThrowsError(try CPUClass.fromEnvironment(["SERVICE_CPU_CLASS": "low"])) {
            XCTAssertEqual("\($0)", "configuration error: SERVICE_CPU_CLASS must be normal or idle, got 'low'")
        }
    }

    #if os(Linux)
    /// On a thread of its own (the test process's other threads keep their class): normal, then
    /// idle, as `sched_getscheduler` reads it back.
    func testTheKernelPutsTheThreadInTheClass() throws {
        let policies = PoliciesSeen()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            // The thread's own id, as the kernel names it ("<pid>/task/<tid>").
            let me = pid_t((try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self"))?.split(separator: "/").last ?? "") ?? -1
            // Normal first: leaving SCHED_IDLE again needs a privilege (RLIMIT_NICE) a developer may not have.
            policies.record { try CPUClass.normal.apply(to: [me]); return sched_getscheduler(me) }
            policies.record { try CPUClass.idle.apply(to: [me]); return sched_getscheduler(me) }
            done.signal()
        }
        thread.start()
        done.wait()
        XCTAssertEqual(try policies.values(), [SCHED_OTHER, 5]) // 5: SCHED_IDLE
    }
    #endif
}

/// The policies a thread read back, or the first error it met.
private final class PoliciesSeen: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [Int32] = []
    private var error: (any Error)?

    func record(_ read: () throws -> Int32) {
        lock.withLock {
            do { seen.append(try read()) } catch { self.error = self.error ?? error }
        }
    }

    func values() throws -> [Int32] {
        try lock.withLock {
            if let error { throw error }
            return seen
        }
    }
}
