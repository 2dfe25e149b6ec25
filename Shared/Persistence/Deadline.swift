import Foundation

/// Database work (a transaction or a read) that did not end within its deadline. It is given up,
/// so the caller (an HTTP handler, a consumer) can answer or retry instead of waiting without end:
/// seen when PostgreSQL restarts under load, where a query on a connection the server closed may
/// never complete, and when it hangs (its processes stopped), where a query waits as long as the hang.
public struct TransactionTimeout: Error, CustomStringConvertible {
    public let limit: Duration
    public var description: String { "the database work did not end within \(limit); it was given up" }
}

/// The database found unresponsive (`DatabaseHealth`) while work waited on it: the work is given
/// up at once instead of waiting for the deadline, so a request answers 503 and a consumer retries.
public struct DatabaseUnresponsive: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "the database stopped answering; the work waiting on it was given up" }
}

/// What ends the wait on work that may be stuck: a clock or a signal. Armed with what to do when it
/// fires (give up with an error), it returns what disarms it, called when the work ends first.
/// Callbacks, not tasks: every transaction arms two, and a task for each (and a libdispatch timer
/// for the deadline's, until session 30) cost more than the transaction's own bookkeeping.
public struct GiveUpTrigger: Sendable {
    let arm: @Sendable (_ fire: @escaping @Sendable (any Error) -> Void) -> @Sendable () -> Void

    public init(arm: @escaping @Sendable (_ fire: @escaping @Sendable (any Error) -> Void) -> @Sendable () -> Void) { self.arm = arm }

    /// A deadline: `TransactionTimeout` once `limit` has passed, from a timer of the current event
    /// loop (any loop's off the loops), which leaves the loop's heap when disarmed.
    public static func after(_ limit: Duration) -> GiveUpTrigger {
        GiveUpTrigger { fire in
            let timer = LoopSleep.schedule(after: limit) { fire(TransactionTimeout(limit: limit)) }
            return { timer.cancel() }
        }
    }

    /// The database found down: `DatabaseUnresponsive` at once if it is down already.
    public static func down(_ availability: DatabaseAvailability) -> GiveUpTrigger {
        GiveUpTrigger { fire in availability.onDown { fire(DatabaseUnresponsive()) } }
    }
}

/// Runs `body` and returns its result, or throws `TransactionTimeout` once `limit` has passed.
public func giveUp<T: Sendable>(after limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await giveUp(when: [.after(limit)], body)
}

/// Runs `body` and returns its result, or throws the error of the first trigger that fires. The
/// body is cancelled then, and left behind if it ignores the cancellation: a stuck query cannot be
/// awaited away (PostgresNIO does not give up a query on an open connection when cancelled), and
/// its transaction, never committed, has no effect (see `Database.transaction`).
///
/// The caller's cancellation (a service stopping) is answered at once with `CancellationError`, in
/// the same way: a ROLLBACK on a connection whose server vanished (PostgreSQL stopped with
/// `-m immediate`) was seen never to return, which held a stopping service until the deadline.
public func giveUp<T: Sendable>(when triggers: [GiveUpTrigger], _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    let outcome = Outcome<T>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { continuation in
            outcome.wait(with: continuation)
            let work = Task { outcome.settle(with: await Result(catching: { try await body() })) }
            for trigger in triggers {
                let disarm = trigger.arm { error in
                    // Settled before the work is cancelled: cancelled first, the work could end with
                    // its own error (the pool's `requestCancelled`) and win, and the caller would not
                    // learn that the database was found down (DatabaseGiveUpTests, seen once).
                    outcome.settle(with: .failure(error))
                    work.cancel()
                }
                outcome.onSettle(disarm)
            }
            outcome.onCancel {
                outcome.settle(with: .failure(CancellationError()))
                work.cancel()
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
