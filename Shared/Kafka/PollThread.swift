import Foundation
import Synchronization

/// A dedicated OS thread that repeats a blocking poll until stopped. librdkafka's polls block
/// on a condition variable and wake up as soon as there is work, so nothing waits on a timer.
final class PollThread: Sendable {
    private let running = Atomic<Bool>(true)
    private let finished = DispatchSemaphore(value: 0)

    init(name: String, poll: @escaping @Sendable () -> Void) {
        let thread = Thread { [self] in
            while running.load(ordering: .acquiring) { poll() }
            finished.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Stops after the current poll returns; waits for the thread to leave its loop.
    func stop() {
        guard running.exchange(false, ordering: .acquiringAndReleasing) else { return }
        finished.wait()
    }
}
