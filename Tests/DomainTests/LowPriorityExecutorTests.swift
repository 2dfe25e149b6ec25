import Foundation
import ServiceKit
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Work given to a `LowPriorityExecutor` runs on its threads, at a `nice` above the caller's, and
/// every job runs: a backfill's checks leave the event loops and come back with their result.
final class LowPriorityExecutorTests: XCTestCase {
    private static let executor = LowPriorityExecutor(name: "test-low", threads: 2)

    func testWorkRunsOnItsThreadsBelowTheCallersPriority() async throws {
        let caller = Self.threadName()
        let (name, nice) = await Self.onExecutor { (Self.threadName(), Self.ownNice()) }
        XCTAssertTrue(name.hasPrefix("test-low-"), "ran on '\(name)'")
        XCTAssertNotEqual(name, caller)
        #if os(Linux)
        XCTAssertEqual(nice, min(19, Self.ownNice() + LowPriorityExecutor.niceIncrement))
        #endif
    }

    /// Many tasks at once, each yielding midway (as a long backfill does between turns): each
    /// comes back with its own result.
    func testEveryJobRunsAndYieldingKeepsItOnTheExecutor() async throws {
        let results = await withTaskGroup(of: (Int, Bool).self) { group in
            for n in 0..<200 {
                group.addTask {
                    await Self.onExecutor {
                        await Task.yield()
                        return (n * n, Self.threadName().hasPrefix("test-low-"))
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(results.map(\.0).sorted(), (0..<200).map { $0 * $0 })
        XCTAssertTrue(results.allSatisfy(\.1), "a job resumed after its yield off the executor's threads")
    }

    private nonisolated static func onExecutor<T: Sendable>(_ body: @Sendable () async -> T) async -> T {
        await withTaskExecutorPreference(executor) { await body() }
    }

    private static func threadName() -> String { Thread.current.name ?? "" }

    private static func ownNice() -> Int32 {
        #if os(Linux)
        getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        #else
        0
        #endif
    }
}
