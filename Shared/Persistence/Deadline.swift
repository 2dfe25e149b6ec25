import Foundation

/// A transaction that did not end within its deadline. It is given up, so the caller (an HTTP
/// handler, a consumer) can answer or retry instead of waiting without end: seen when PostgreSQL
/// restarts under load, where a query on a connection the server closed may never complete.
public struct TransactionTimeout: Error, CustomStringConvertible {
    public let limit: Duration
    public var description: String { "the database transaction did not end within \(limit); it was given up" }
}

/// Runs `body` and returns its result, or throws `TransactionTimeout` once `limit` has passed. The
/// body is cancelled then, and left behind if it ignores the cancellation: a stuck query cannot be
/// awaited away, and its transaction, never committed, has no effect (a consumer's retry waits on
/// the inbox row it holds and then finds the event applied once, or not at all).
///
/// The caller's cancellation (a service stopping) is answered at once with `CancellationError`, in
/// the same way: a ROLLBACK on a connection whose server vanished (PostgreSQL stopped with
/// `-m immediate`) was seen never to return, which held a stopping service until the deadline.
public func giveUp<T: Sendable>(after limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    let outcome = Outcome<T>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { continuation in
            outcome.wait(with: continuation)
            let work = Task { outcome.settle(with: await Result(catching: { try await body() })) }
            let timer = Task {
                try await Task.sleep(for: limit)
                work.cancel()
                outcome.settle(with: .failure(TransactionTimeout(limit: limit)))
            }
            outcome.onSettle { timer.cancel() }
            outcome.onCancel {
                work.cancel()
                outcome.settle(with: .failure(CancellationError()))
            }
        }
    } onCancel: {
        outcome.cancel()
    }
}

/// The first result wins; the continuation is resumed exactly once.
private final class Outcome<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?
    private var settled = false
    private var cleanups: [@Sendable () -> Void] = []
    private var cancellers: [@Sendable () -> Void] = []

    func wait(with continuation: CheckedContinuation<T, any Error>) { lock.withLock { self.continuation = continuation } }

    func onSettle(_ action: @escaping @Sendable () -> Void) {
        let late = lock.withLock { settled ? true : { cleanups.append(action); return false }() }
        if late { action() }
    }

    private var cancelled = false

    /// Runs `action` on cancellation, or at once when the caller was cancelled already.
    func onCancel(_ action: @escaping @Sendable () -> Void) {
        let late = lock.withLock { cancelled ? true : { cancellers.append(action); return false }() }
        if late { action() }
    }

    func cancel() {
        lock.withLock { () -> [@Sendable () -> Void] in
            cancelled = true
            return cancellers
        }.forEach { $0() }
    }

    func settle(with result: Result<T, any Error>) {
        let (waiting, actions): (CheckedContinuation<T, any Error>?, [@Sendable () -> Void]) = lock.withLock {
            guard !settled else { return (nil, []) }
            settled = true
            defer { continuation = nil }
            return (continuation, cleanups)
        }
        guard let waiting else { return }
        actions.forEach { $0() }
        waiting.resume(with: result)
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
