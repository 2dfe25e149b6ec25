import Metrics
import NIOCore
import NIOPosix
import ServiceLifecycle

/// How long work waits for an event loop (`event_loop_lag_seconds`): every task, HTTP request and
/// PostgreSQL reply of a service runs on these loops (`ServiceMain`), so a job that holds one for
/// tens of milliseconds holds every 3102 call whose connection sits on it. Each loop has a timer
/// due every `interval` (25 ms: 40 samples a second a loop; every timer wakes an idle loop); how
/// late it runs is recorded. The histogram says whether a tail is a loop
/// held by long jobs (lag near the tail) or the wait for the database and the cores (intake at
/// 2,000 settlements/s, session 28: p99 ≤ 5-10 ms against a 3102 p99 of 120-230 ms, so the tail
/// was not the loops). A timer of the loop's own costs a busy loop nothing but the check it makes
/// every tick anyway; until session 30 a task put a no-op on each loop and slept between rounds
/// (two tasks, a wake-up of each loop from another thread and a libdispatch timer, 100 times a
/// second in each of the four services, idle or not).
public struct EventLoopLag: Service {
    var interval: Duration
    static let metric = "event_loop_lag_seconds"
    /// Finer than the requests' at the low end: a healthy loop answers in well under a millisecond.
    static let buckets: [Duration] = [1, 2.5, 5, 10, 25, 50, 100, 250, 1_000].map { .microseconds(Int64($0 * 1_000)) }

    public init(interval: Duration = .milliseconds(25)) { self.interval = interval }

    public func run() async throws {
        let probes = MultiThreadedEventLoopGroup.singleton.makeIterator().enumerated().map { index, loop in
            LoopProbe(loop: loop, interval: TimeAmount(interval), timer: Timer(label: Self.metric, dimensions: [("loop", "\(index)")]))
        }
        probes.forEach { $0.start() }
        defer { probes.forEach { $0.stop() } }
        try? await gracefulShutdown()
    }
}

/// One loop's timer: armed again each time it runs, recording how late it ran.
private final class LoopProbe: @unchecked Sendable {
    // `armed` and `stopped` are read and written only on `loop` (start, stop and the timer run there).
    private let loop: any EventLoop
    private let interval: TimeAmount
    private let timer: Timer
    private var armed: Scheduled<Void>?
    private var stopped = false

    init(loop: any EventLoop, interval: TimeAmount, timer: Timer) {
        (self.loop, self.interval, self.timer) = (loop, interval, timer)
    }

    func start() { loop.execute { self.arm() } }

    func stop() {
        loop.execute {
            self.stopped = true
            self.armed?.cancel()
        }
    }

    private func arm() {
        guard !stopped else { return }
        let due = NIODeadline.now() + interval
        armed = loop.scheduleTask(deadline: due) { [self] in
            timer.recordNanoseconds((NIODeadline.now() - due).nanoseconds)
            arm()
        }
    }
}
