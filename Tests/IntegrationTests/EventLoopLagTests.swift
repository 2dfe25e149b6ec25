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
        // Every loop held by jobs of 40 ms that never await, one after another. (Where tasks run on
        // the loops, as in a service, the probe's own task runs between two of them, and its no-op
        // waits behind the next.)
        for loop in MultiThreadedEventLoopGroup.singleton.makeIterator() {
            for _ in 0..<6 { loop.execute { usleep(40_000) } }
        }
        try await Task.sleep(for: .milliseconds(400))
        probe.cancel()
        _ = try? await probe.value
        XCTAssertGreaterThan(Self.samples(above: 0.025), before, "40 ms holds not seen above 25 ms")
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
