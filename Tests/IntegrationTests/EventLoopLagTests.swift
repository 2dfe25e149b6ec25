import Foundation
import NIOCore
import NIOPosix
import ServiceKit
import TestSupport
import XCTest

/// `event_loop_lag_seconds`: a loop held by a long job shows in the histogram's upper buckets.
final class EventLoopLagTests: XCTestCase {
    func testALoopHeldByALongJobShowsAsLag() async throws {
        _ = TestEnvironment.logger // bootstraps the metrics
        let probe = Task { try await EventLoopLag(interval: .milliseconds(5)).run() }
        try await Task.sleep(for: .milliseconds(50))
        let before = Self.samples(above: 0.025)
        // Each loop held by a job of 80 ms that never awaits every 100 ms, the loops half a period
        // apart, from a thread of the test's own. The probe's task runs on these loops too (as in a
        // service): all of a loop's holds queued at once ran before its timer's task, whose no-ops then
        // met free loops (a flaky test in the suite); now, while one loop is free, the other is held.
        let loops = Array(MultiThreadedEventLoopGroup.singleton.makeIterator())
        let holder = Thread {
            for step in 0..<(8 * loops.count) {
                loops[step % loops.count].execute { usleep(80_000) }
                usleep(UInt32(100_000 / loops.count))
            }
        }
        holder.start()
        try await Task.sleep(for: .milliseconds(900))
        probe.cancel()
        _ = try? await probe.value
        XCTAssertGreaterThan(Self.samples(above: 0.025), before, "80 ms holds not seen above 25 ms")
    }

    /// Samples of every loop above `bound` seconds so far: the total less those at or under it.
    private static func samples(above bound: Double) -> Double {
        let lines = String(decoding: Observability.registry.emitToBuffer(), as: UTF8.self).split(separator: "\n")
            .filter { $0.hasPrefix("event_loop_lag_seconds_bucket{") }
        func count(_ le: String) -> Double {
            let series = lines.filter { $0.contains("le=\"\(le)\"") }
            XCTAssertFalse(series.isEmpty, "no bucket le=\(le)")
            return series.compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +)
        }
        return count("+Inf") - count(String(bound))
    }
}
