import Metrics
import NIOCore
import NIOPosix
import Persistence
import ServiceLifecycle
import Timing

/// How long work waits for an event loop (`event_loop_lag_seconds`): every task, HTTP request and
/// PostgreSQL reply of a service runs on these loops (`ServiceMain`), so a job that holds one for
/// tens of milliseconds holds every 3102 call whose connection sits on it. Every `interval` a
/// no-op is put on each loop; the time until it runs is recorded. The histogram says whether a
/// tail is a loop held by long jobs (lag near the tail) or the wait for the database and the cores
/// (intake at 2,000 settlements/s, session 28: p99 ≤ 5-10 ms against a 3102 p99 of 120-230 ms, so
/// the tail was not the loops).
public struct EventLoopLag: Service {
    var interval: Duration
    static let metric = "event_loop_lag_seconds"
    /// Finer than the requests' at the low end: a healthy loop answers in well under a millisecond.
    static let buckets: [Duration] = [1, 2.5, 5, 10, 25, 50, 100, 250, 1_000].map { .microseconds(Int64($0 * 1_000)) }

    public init(interval: Duration = .milliseconds(10)) { self.interval = interval }

    public func run() async throws {
        let loops = Array(MultiThreadedEventLoopGroup.singleton.makeIterator())
        let timers = loops.indices.map { Timer(label: Self.metric, dimensions: [("loop", "\($0)")]) }
        try await repeatUntilShutdown(pause: { [interval] in interval }) {
            await withTaskGroup(of: Void.self) { group in
                for (loop, timer) in zip(loops, timers) {
                    group.addTask {
                        let queued = ContinuousClock.now
                        // Timed where the no-op runs: the task's own wake-up after it is another job.
                        guard let ran = try? await loop.submit({ ContinuousClock.now }).get() else { return }
                        timer.recordNanoseconds((ran - queued).inNanoseconds)
                    }
                }
            }
        }
    }
}
