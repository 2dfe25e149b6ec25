import Synchronization

/// Wakes a schema's outbox relay when a transaction that wrote to its outbox commits, so an idle
/// relay can sleep long (`OutboxRelay.Options.idleInterval`) without delaying an event: four
/// services polling every 20 ms cost ~5% of this machine's CPU with nothing to publish.
/// A write from another process is not heard; the relay's next round, at most an idle interval
/// later, finds it.
public final class OutboxBell: Sendable {
    private struct State {
        var rung = false
        var waiter: CheckedContinuation<Void, Never>?
        var waitEnded = false
    }

    private let state = Mutex(State())
    private static let bells = Mutex<[String: OutboxBell]>([:])

    /// The bell of a schema (one per process).
    public static func of(_ schema: String) -> OutboxBell {
        bells.withLock { bells in
            if let bell = bells[schema] { return bell }
            let bell = OutboxBell()
            bells[schema] = bell
            return bell
        }
    }

    public func ring() {
        let waiter = state.withLock { state in
            defer { state.waiter = nil }
            if state.waiter == nil { state.rung = true }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Returns when the bell rings (or has rung since the last wait), after `limit` at most.
    /// One waiter at a time: the relay's loop.
    public func wait(upTo limit: Duration) async {
        state.withLock { $0.waitEnded = false }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await LoopSleep.sleep(for: limit) }
            group.addTask { await self.rang() }
            await group.next()
            group.cancelAll()
            endWait()
        }
    }

    private func rang() async {
        await withCheckedContinuation { continuation in
            let now = state.withLock { state in
                if state.rung || state.waitEnded {
                    state.rung = false
                    return true
                }
                state.waiter = continuation
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// The sleep ended first: a waiter still parked is released (and a later one returns at once).
    private func endWait() {
        let waiter = state.withLock { state in
            state.waitEnded = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }
}

/// Which transactions wrote to the outbox: `Database.transaction` rings the schema's bell after
/// such a commit.
enum OutboxWrites {
    final class Marker: Sendable {
        private let written = Atomic<Bool>(false)
        func mark() { written.store(true, ordering: .relaxed) }
        var wrote: Bool { written.load(ordering: .relaxed) }
    }

    @TaskLocal static var marker: Marker?
}
