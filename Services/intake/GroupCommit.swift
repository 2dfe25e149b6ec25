import Foundation
import Metrics
import Persistence
import PostgresNIO
import RuleEngine
import Synchronization
import Timing

/// Group commit (成组提交) of everything intake records: hospitals push small batches and single
/// 3102 settlements at once (at 2,000 settlements/s, dozens of bulk requests and hundreds of 3102
/// calls a second), and each in its own transaction paid the statements and the commit for a
/// handful of claims. Submissions that arrive while a transaction runs wait for the next one, which
/// records all of them together: a round is about ten statements whatever it holds.
///
/// No background task: the first submission that finds no transaction running leads — it commits
/// what is waiting, round after round, until its own submission is done, then hands the lead to
/// the oldest submission still waiting; the others only wait for their result. (A leader that led
/// until nothing waited was held as long as calls kept coming: at 2,000 settlements/s some 3102
/// calls answered after 0.7-2.4 s, their own round long committed.) If a shared transaction
/// fails, each submission of it is retried alone, so one request's fault is its own.
final class GroupCommit: Sendable {
    let store: ClaimStore
    /// Claims per transaction at most (a submission is never split across two).
    let maxClaims: Int
    /// How long a leader lets a round gather before committing it, unless half of `maxClaims`
    /// already waits. Hospitals push independently, spread over time: without it a round held the
    /// few claims that arrived while the previous one ran (7 on average at 1,000 claims/s), and each
    /// round's dozen statements cost more than its claims (scripts/profile.sh: intake 664 µs a claim).
    let linger: Duration

    private struct Waiting {
        var submissions: [Submission] = []
        var leading = false
        /// The last round started: the next one starts once it has reached its COMMIT, and its
        /// calls' answers wait for that COMMIT's outcome.
        var inFlight: RoundInFlight?
    }

    private let waiting = Mutex(Waiting())
    private let timers: RoundTimers
    /// Whether the next round starts while the one before commits (`RoundInFlight`), or after: the
    /// settlement lane's rounds overlap (two interleaved pairs of `bench.sh load` at 2,000/s, session
    /// 28: a call's wait for its round 4.3 and 8.2 ms against 11.4 and 13.6, the 3102 p99 94.4 and
    /// 124.6 ms against 146.2 and 173.2). Overlapping the bulk lanes' rounds too, twice their
    /// transactions at once on a full machine, gave no gain (three pairs: p99 216, 111, 93 against 136, 126, 88 ms).
    let overlapsRounds: Bool

    /// `lane` names the lane in the metrics (`intake_commit_wait_seconds`, `intake_commit_stage_seconds`).
    init(store: ClaimStore, lane: String, maxClaims: Int = 2_000, linger: Duration = .zero, overlapsRounds: Bool = false) {
        self.store = store
        self.overlapsRounds = overlapsRounds
        self.maxClaims = maxClaims
        self.linger = linger
        self.timers = RoundTimers(lane: lane)
    }

    /// Records `drafts` in a transaction shared with other requests; returns what became of each.
    func record(_ drafts: [ClaimDraft]) async throws -> [RecordedClaim] {
        guard case let .recorded(recorded) = try await submit(.drafts(drafts)) else { preconditionFailure("drafts are recorded") }
        return recorded
    }

    /// Answers and records a settlement call in a transaction shared with other requests; throws
    /// `MessageLog.Raced` when another call has its msgid.
    func settle(_ call: SettlementCall) async throws -> Data {
        guard case let .answered(answer) = try await submit(.settlement(call)) else { preconditionFailure("settlements are answered") }
        return answer
    }

    private func submit(_ work: CommitWork) async throws -> CommitOutcome {
        let submission = Submission(work)
        let leads = waiting.withLock { state in
            state.submissions.append(submission)
            defer { state.leading = true }
            return !state.leading
        }
        // The first to find no round running takes the lead as a waiting submission is handed it.
        if leads { submission.promote() }
        while true {
            switch try await submission.wake() {
            case let .done(outcome): return outcome
            case .lead: await lead(until: submission)
            }
        }
    }

    /// Commits rounds until `own` is done, then passes the lead on.
    private func lead(until own: Submission) async {
        repeat {
            if linger > .zero, waiting.withLock({ $0.submissions.reduce(0) { $0 + $1.work.drafts.count } }) < maxClaims / 2 {
                try? await LoopSleep.sleep(for: linger)
            }
            let round = nextRound()
            guard !round.isEmpty else { return }
            let current = RoundInFlight()
            let previous = waiting.withLock { state in
                defer { state.inFlight = current }
                return state.inFlight
            }
            // A round is shared work: it runs apart from the leading task, whose cancellation (its
            // client gone, a bulk push given up) is its own request's, not the round's. Run in the
            // leader's task, a cancelled leader failed every request of its round.
            let committing = Task { await self.commit(round, after: previous, as: current) }
            // The next round starts while this one commits (its reads beside the COMMIT's flush), or
            // once it is done, retries of a failed round's requests included: a bulk lane keeps an
            // encounter's versions in the order of the file.
            if overlapsRounds { await current.reachedCommit.value } else { await committing.value }
        } while !own.isDone
        handOff()
    }

    /// The lead goes to the oldest submission waiting (it leads from its own task), or is given up.
    private func handOff() {
        let next = waiting.withLock { state in
            if state.submissions.isEmpty { state.leading = false }
            return state.submissions.first
        }
        next?.promote()
    }

    /// The submissions of the next transaction; none (and leadership given up) when nothing waits.
    private func nextRound() -> [Submission] {
        waiting.withLock { state in
            var round: [Submission] = [], claims = 0
            while let next = state.submissions.first, round.isEmpty || claims + next.work.drafts.count <= maxClaims {
                round.append(state.submissions.removeFirst())
                claims += next.work.drafts.count
            }
            if round.isEmpty { state.leading = false }
            return round
        }
    }

    /// Commits `round` after `previous` (the round before it, perhaps still committing); `current`
    /// says when this one has reached its COMMIT and how that ended.
    private func commit(_ round: [Submission], after previous: RoundInFlight?, as current: RoundInFlight) async {
        // Every path says how the round ended: the next round's answers wait for it. A path that
        // committed said so first; a later setting is ignored.
        defer {
            current.reachedCommit.set(())
            current.committed.set(nil)
        }
        for submission in round { timers.wait.record(since: submission.submitted) }
        do {
            // The end of the round's statements comes out with its result: the commit is timed from it.
            let (result, applied) = try await store.database.transaction { connection in
                let done = try await self.apply(round, after: previous, on: connection)
                current.reachedCommit.set(())
                return (done, ContinuousClock.now)
            }
            timers.record(.commit, since: applied)
            store.remember(result.recorded)
            current.committed.set(result.answered)
            for (submission, outcome) in zip(round, result.outcomes) { submission.resolve(outcome) }
        } catch where DatabaseErrors.isUnavailable(error) {
            // No request's fault: alone, each would wait out the same deadline again, one after another.
            for submission in round { submission.resolve(.failure(error)) }
        } catch where round.count > 1 {
            // Said before the retries: the next round need not wait for them.
            current.reachedCommit.set(())
            current.committed.set(nil)
            for submission in round { await commit([submission], after: nil, as: RoundInFlight()) }
        } catch {
            round[0].resolve(.failure(error))
        }
    }

    /// One round in one transaction: the settlement calls' msgids taken, their encounters' claims
    /// and their history read (one statement), each call answered in its turn, every draft recorded
    /// with the answers (one statement).
    private func apply(_ round: [Submission], after previous: RoundInFlight?, on connection: PostgresConnection)
        async throws -> (outcomes: [Result<CommitOutcome, any Error>], recorded: [RecordedClaim], answered: [Claim]) {
        let calls = round.compactMap { if case let .settlement(call) = $0.work { call } else { nil } }
        var stage = ContinuousClock.now
        // The encounters of every draft of the round are read with the calls' (a round of the
        // settlement lane holds only calls, but nothing here depends on it).
        let reads = calls.isEmpty ? nil : try await store.reads(for: calls, recording: round.flatMap(\.work.drafts), on: connection)
        if !calls.isEmpty { stage = timers.record(.reads, since: stage) }
        var free = reads?.taken ?? [], history = reads?.history ?? InMemoryHistory()
        // The round before may have committed after these reads looked: its calls' claims are
        // history here once it has (a claim read too is the same settlement, held once), never before.
        if !calls.isEmpty, let previous {
            for claim in await previous.committed.value ?? [] { history.add(claim) }
            stage = timers.record(.previous, since: stage)
        }
        var answered: [Claim] = []
        // A msgid twice in a round: the first call takes it, the second replays its answer.
        let taking = calls.filter { free.remove($0.msgid) != nil }
        var unanswered = Set(taking.map(\.msgid))
        var slots: [Slot] = [], drafts: [ClaimDraft] = [], answers: [(msgid: String, answer: Data)] = []
        for submission in round {
            switch submission.work {
            case let .drafts(mine):
                slots.append(.recorded(count: mine.count))
                drafts += mine
            case let .settlement(call):
                guard unanswered.remove(call.msgid) != nil else {
                    slots.append(.raced)
                    continue
                }
                let answer = try call.answer(&history)
                answered += call.claims
                slots.append(.answered(answer, count: call.drafts.count))
                answers.append((call.msgid, answer))
                drafts += call.drafts
            }
        }
        if !taking.isEmpty { stage = timers.record(.answers, since: stage) }
        let recorded = try await store.record(drafts, answers: MessageLog.answers(answers), existing: reads?.existing, on: connection)
        timers.record(.record, since: stage)
        return (Slot.outcomes(slots, recorded: recorded), recorded, answered)
    }
}

/// A submission's place in a round's results.
private enum Slot {
    case recorded(count: Int)
    case answered(Data, count: Int)
    case raced

    /// Each submission's outcome, its claims cut in order from the round's.
    static func outcomes(_ slots: [Slot], recorded: [RecordedClaim]) -> [Result<CommitOutcome, any Error>] {
        var rest = recorded[...]
        return slots.map { slot in
            switch slot {
            case let .recorded(count):
                defer { rest = rest.dropFirst(count) }
                return .success(.recorded(Array(rest.prefix(count))))
            case let .answered(answer, count):
                rest = rest.dropFirst(count)
                return .success(.answered(answer))
            case .raced:
                return .failure(MessageLog.Raced())
            }
        }
    }
}

/// Where a lane's time goes: how long a submission waits for the round that carries it, and each
/// stage of a round (a 3102 call's latency is its wait and its round; `scripts/bench.sh load` prints them).
private final class RoundTimers: Sendable {
    enum Stage: String, CaseIterable {
        /// `previous`: the wait for the round before to finish its COMMIT, which ran beside this one's reads.
        case reads, previous, answers, record, commit
    }

    let wait: Timer
    private let stages: [Stage: Timer]

    init(lane: String) {
        wait = Timer(label: "intake_commit_wait_seconds", dimensions: [("lane", lane)])
        stages = Dictionary(uniqueKeysWithValues: Stage.allCases.map {
            ($0, Timer(label: "intake_commit_stage_seconds", dimensions: [("lane", lane), ("stage", $0.rawValue)]))
        })
    }

    /// Records the stage from `start`; returns now, the next stage's start.
    @discardableResult
    func record(_ stage: Stage, since start: ContinuousClock.Instant) -> ContinuousClock.Instant {
        let now = ContinuousClock.now
        stages[stage]!.recordNanoseconds((now - start).inNanoseconds)
        return now
    }
}

/// One request's work and the result it waits for.
private final class Submission: Sendable {
    let work: CommitWork
    let submitted = ContinuousClock.now

    /// What wakes a waiting submission: its outcome, or the lead handed to it.
    enum Wake {
        case done(CommitOutcome)
        case lead
    }

    private struct State {
        var result: Result<CommitOutcome, any Error>?
        var promoted = false
        var waiter: CheckedContinuation<Wake, any Error>?
    }

    private let state = Mutex(State())

    init(_ work: CommitWork) { self.work = work }

    var isDone: Bool { state.withLock { $0.result != nil } }

    func resolve(_ result: Result<CommitOutcome, any Error>) {
        let waiter = state.withLock { state in
            state.result = result
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(with: result.map(Wake.done))
    }

    /// The lead is handed to this submission (still waiting for its round).
    func promote() {
        let waiter = state.withLock { state in
            defer { state.waiter = nil }
            if state.waiter == nil { state.promoted = true }
            return state.waiter
        }
        waiter?.resume(returning: .lead)
    }

    func wake() async throws -> Wake {
        try await withCheckedThrowingContinuation { continuation in
            let now: Result<Wake, any Error>? = state.withLock { state in
                if let result = state.result { return result.map(Wake.done) }
                if state.promoted {
                    state.promoted = false
                    return .success(.lead)
                }
                state.waiter = continuation
                return nil
            }
            if let now { continuation.resume(with: now) }
        }
    }
}

/// A round from its start to the end of its COMMIT. Overlapping rounds (`overlapsRounds`) overlap by
/// one: the next starts its reads when this one reaches its COMMIT, whose flush was a third of a 3102
/// round under load (`bench.sh load`: reads 4.1, answers 0.5, record 3.4, commit 4.1 ms), and answers
/// once this one's outcome is known, so that no call is answered from claims that were not committed.
/// What the next round's reads meet of this one is already right: a msgid or an encounter this one
/// holds waits for its COMMIT (the unique index, the encounter's advisory lock); only the history,
/// read without a lock, may miss its claims, and they are added from here.
private final class RoundInFlight: Sendable {
    /// Set when its statements are done (or it failed before).
    let reachedCommit = OneShot<Void>()
    /// The claims its settlement calls recorded, once committed; nil when it was not.
    let committed = OneShot<[Claim]?>()
}

/// A value set once (later settings are ignored) and awaited by any number of tasks.
private final class OneShot<Value: Sendable>: Sendable {
    private struct State {
        var value: Value?
        var isSet = false
        var waiters: [CheckedContinuation<Value, Never>] = []
    }

    private let state = Mutex(State())

    func set(_ value: Value) {
        let waiters = state.withLock { state -> [CheckedContinuation<Value, Never>] in
            guard !state.isSet else { return [] }
            (state.value, state.isSet) = (value, true)
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: value) }
    }

    var value: Value {
        get async {
            await withCheckedContinuation { continuation in
                let (isSet, value) = state.withLock { state -> (Bool, Value?) in
                    if !state.isSet { state.waiters.append(continuation) }
                    return (state.isSet, state.value)
                }
                if isSet, let value { continuation.resume(returning: value) }
            }
        }
    }
}
