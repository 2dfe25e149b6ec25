import Logging
import ServiceLifecycle

/// Runs `body` until graceful shutdown, pausing `pause()` between rounds; the shutdown ends the
/// loop quietly (a cancelled sleep or transaction is how a service stops, not an error).
/// A round that fails (PostgreSQL restarting, the broker down) is retried with back-off up to
/// 5 s: ending the loop would end the whole ServiceGroup, i.e. the service, on a transient fault.
/// With a `bell`, its ring ends a pause early.
public func repeatUntilShutdown(pause: @escaping @Sendable () -> Duration, bell: OutboxBell? = nil,
                                _ body: @escaping @Sendable () async throws -> Void) async throws {
    do {
        try await cancelWhenGracefulShutdown {
            var backoff: Duration = .milliseconds(100)
            while !Task.isCancelled {
                do {
                    try await body()
                    backoff = .milliseconds(100)
                } catch where !(Task.isShuttingDownGracefully || Task.isCancelled || error is CancellationError) {
                    Logger(label: "periodic").warning("round failed, retrying", metadata: ["error": "\(String(reflecting: error))"])
                    try await LoopSleep.sleep(for: backoff)
                    backoff = min(backoff * 2, .seconds(5))
                    continue
                }
                if let bell {
                    await bell.wait(upTo: pause())
                    try Task.checkCancellation()
                } else {
                    try await LoopSleep.sleep(for: pause())
                }
            }
        }
    } catch where Task.isShuttingDownGracefully || Task.isCancelled || error is CancellationError {
        return // the round in hand was cut short by the shutdown (possibly inside a transaction)
    }
}
