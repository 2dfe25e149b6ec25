import NIOCore
import NIOPosix

/// A pause on an event loop's timer, for the waits a service repeats many times a second (a
/// transaction's deadline, a round's linger, a periodic job's pause). The event loops run every
/// task (`ServiceMain`), but NIO takes over only the enqueueing of ready tasks, not of delayed ones:
/// a `Task.sleep` is a libdispatch timer, which wakes libdispatch's manager thread and one of its
/// workers when it ends, and, cancelled early, stays in libdispatch's timer heap until its
/// deadline and wakes them then all the same. Each of intake's and smart-review's transactions
/// armed one for its deadline (`GiveUpTrigger.after`, now a loop timer of its own): thousands were
/// pending under load, and an idle service's threads woke ~550 times a second on libdispatch's side
/// alone. A cancelled loop timer leaves its loop's heap at once; one that ends wakes no thread but its loop.
public enum LoopSleep {
    /// Suspends for `duration`, on the current event loop's timer (any loop's, off the loops);
    /// throws `CancellationError` when the task is cancelled first, like `Task.sleep`.
    public static func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        let timer = schedule(after: duration) {}
        do {
            try await withTaskCancellationHandler {
                try await timer.futureResult.get()
            } onCancel: {
                timer.cancel()
            }
        } catch EventLoopError.cancelled {
            throw CancellationError()
        }
    }

    /// Runs `task` after `duration` on the current event loop's timer (any loop's, off the loops);
    /// cancelling the result takes it off that loop's heap (`GiveUpTrigger.after`, `sleep`).
    static func schedule(after duration: Duration, _ task: @escaping @Sendable () -> Void) -> Scheduled<Void> {
        let loop = MultiThreadedEventLoopGroup.currentEventLoop ?? MultiThreadedEventLoopGroup.singleton.any()
        return loop.scheduleTask(in: TimeAmount(duration), task)
    }
}
