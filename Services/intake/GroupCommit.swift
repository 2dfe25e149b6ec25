import Persistence
import PostgresNIO
import Synchronization

/// Group commit (成组提交) of the bulk path: hospitals push small batches at once (at 2,000
/// settlements/s, dozens of requests of a few claims every 100 ms), and each request in its own
/// transaction paid the statements and the commit for a handful of claims. Requests that arrive
/// while a transaction is running wait for the next one, which records all of them together.
///
/// No background task: the first request that finds no transaction running leads — it commits
/// what is waiting, round after round, until nothing is; the others only wait for their result.
/// If a shared transaction fails, each request of it is retried alone, so one request's fault is
/// its own.
final class GroupCommit: Sendable {
    let store: ClaimStore
    /// Claims per transaction at most (a request is never split across two).
    let maxClaims: Int

    private struct Waiting {
        var submissions: [Submission] = []
        var leading = false
    }

    private let waiting = Mutex(Waiting())

    init(store: ClaimStore, maxClaims: Int = 2_000) {
        self.store = store
        self.maxClaims = maxClaims
    }

    /// Records `drafts` in a transaction shared with other requests; returns what became of each.
    func record(_ drafts: [ClaimDraft]) async throws -> [RecordedClaim] {
        let submission = Submission(drafts)
        let leads = waiting.withLock { state in
            state.submissions.append(submission)
            defer { state.leading = true }
            return !state.leading
        }
        if leads { await lead() }
        return try await submission.outcome()
    }

    private func lead() async {
        while case let round = nextRound(), !round.isEmpty {
            await commit(round)
        }
    }

    /// The submissions of the next transaction; none (and leadership given up) when nothing waits.
    private func nextRound() -> [Submission] {
        waiting.withLock { state in
            var round: [Submission] = [], claims = 0
            while let next = state.submissions.first, round.isEmpty || claims + next.drafts.count <= maxClaims {
                round.append(state.submissions.removeFirst())
                claims += next.drafts.count
            }
            if round.isEmpty { state.leading = false }
            return round
        }
    }

    private func commit(_ round: [Submission]) async {
        do {
            let store = self.store
            let recorded = try await store.database.transaction { connection in
                try await store.record(round.flatMap(\.drafts), on: connection)
            }
            var rest = recorded[...]
            for submission in round {
                submission.resolve(.success(Array(rest.prefix(submission.drafts.count))))
                rest = rest.dropFirst(submission.drafts.count)
            }
        } catch where round.count > 1 {
            for submission in round { await commit([submission]) }
        } catch {
            round[0].resolve(.failure(error))
        }
    }
}

/// One request's drafts and the result it waits for.
private final class Submission: Sendable {
    let drafts: [ClaimDraft]
    private let state = Mutex<(result: Result<[RecordedClaim], any Error>?, waiter: CheckedContinuation<[RecordedClaim], any Error>?)>((nil, nil))

    init(_ drafts: [ClaimDraft]) { self.drafts = drafts }

    func resolve(_ result: Result<[RecordedClaim], any Error>) {
        let waiter = state.withLock { state in
            state.result = result
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(with: result)
    }

    func outcome() async throws -> [RecordedClaim] {
        try await withCheckedThrowingContinuation { continuation in
            let result = state.withLock { state in
                if state.result == nil { state.waiter = continuation }
                return state.result
            }
            if let result { continuation.resume(with: result) }
        }
    }
}
