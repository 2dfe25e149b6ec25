import ServiceLifecycle

/// Runs `body` until graceful shutdown, pausing `pause()` between rounds; the shutdown ends the
/// loop quietly (a cancelled sleep or transaction is how a service stops, not an error).
public func repeatUntilShutdown(pause: @escaping @Sendable () -> Duration, _ body: @escaping @Sendable () async throws -> Void) async throws {
    do {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await body()
                try await Task.sleep(for: pause())
            }
        }
    } catch where Task.isShuttingDownGracefully || Task.isCancelled || error is CancellationError {
        return // the round in hand was cut short by the shutdown (possibly inside a transaction)
    }
}
