import Foundation
import HISContract
import Persistence
import PostgresNIO
import RuleEngine
import Synchronization
import TestSupport
import XCTest
@testable import intake

/// Concurrent bulk pushes share transactions; each gets its own result, and a push whose claims
/// the database refuses fails alone.
final class GroupCommitTests: XCTestCase {
    func testConcurrentPushesAreRecordedOnceEachAndAFaultyOneFailsAlone() async throws {
        let harness = try IntakeHarness()
        try await harness.run { _, _ in
            let commits = GroupCommit(store: harness.assembly.store, lane: "test", maxClaims: 7)
            func drafts(_ n: Int, person: String = Fixture.person) -> [ClaimDraft] {
                (0..<3).flatMap { _ in ClaimDraft.split(Fixture.patient([Fixture.encounter()], id: person), msgid: "bulk:\(n)", trigScen: 0, traceparent: nil) }
            }
            let pushes = (0..<20).map { drafts($0) }
            // PostgreSQL refuses NUL in text: the shared transaction fails and is redone without it.
            let faulty = drafts(99, person: "P\u{0}")
            let outcomes = await withTaskGroup(of: (Int, Result<[RecordedClaim], any Error>).self) { group in
                for (n, push) in (pushes + [faulty]).enumerated() {
                    group.addTask { (n, await Result(awaiting: { try await commits.record(push) })) }
                }
                return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            for n in pushes.indices {
                let recorded = try outcomes[n]!.get()
                XCTAssertEqual(recorded.map(\.claimID), pushes[n].map(\.claimID), "each push gets its own claims back, in order")
                XCTAssertTrue(recorded.allSatisfy(\.isNew))
            }
            XCTAssertThrowsError(try outcomes[pushes.count]!.get())
            let claims = try await harness.count("claims"), rounds = try await harness.count("outbox")
            let events = try await harness.count("outbox o, json_array_elements(o.members::json) AS m")
            XCTAssertEqual(claims, 60)
            XCTAssertEqual(events, 60, "an event for each claim, as a member of its round's row")
            XCTAssertLessThan(rounds, 21, "a row per round, not per claim")
            // The same claims again are retries, not new claims.
            let again = try await commits.record(pushes[0] + pushes[1])
            XCTAssertEqual(again.filter(\.isNew).count, 0)
        }
    }

    /// The leader of a group commit answers its own request once its round is committed, while
    /// others keep arriving: the lead passes to a waiting request. (A leader used to lead until
    /// nothing waited, and a 3102 call that led at 2,000 settlements/s answered seconds late.)
    func testALeaderReturnsOnceItsOwnRoundIsCommittedWhileOthersKeepArriving() async throws {
        let harness = try IntakeHarness()
        try await harness.run { _, _ in
            let commits = GroupCommit(store: harness.assembly.store, lane: "test", maxClaims: 2)
            func push(_ n: Int) -> [ClaimDraft] {
                ClaimDraft.split(Fixture.patient([Fixture.encounter()], id: "P-lead-\(n)"), msgid: "bulk:lead-\(n)", trigScen: 0, traceparent: nil)
            }
            let submitted = Counter()
            let leaderDone = Counter(Int.max)
            let pushes = 200
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    _ = try await commits.record(push(0))
                    leaderDone.set(submitted.value)
                }
                // The others arrive faster than rounds of two claims commit, so some always wait.
                try await Task.sleep(for: .milliseconds(1))
                for n in 1...pushes {
                    submitted.set(n)
                    group.addTask { _ = try await commits.record(push(n)) }
                    try await Task.sleep(for: .milliseconds(1))
                }
                try await group.waitForAll()
            }
            XCTAssertLessThan(leaderDone.value, pushes / 2, "the leader returned long before the others stopped arriving")
            let claims = try await harness.count("claims")
            XCTAssertEqual(claims, pushes + 1, "every request was recorded, the lead passed from one to the next")
        }
    }

    /// A round is shared work: the request whose task leads it may be cancelled (its client gone,
    /// or a bulk push's lane given up), and the other requests of the round must still be
    /// recorded, not answered with the leader's cancellation (a fault run answered such a push 500).
    func testAnotherRequestOfARoundIsRecordedWhenTheLeadersTaskIsCancelled() async throws {
        let harness = try IntakeHarness()
        try await harness.run { _, _ in
            // The leader lingers before its round, so that the second push joins it.
            let commits = GroupCommit(store: harness.assembly.store, lane: "test", maxClaims: 100, linger: .milliseconds(300))
            func push(_ n: Int) -> [ClaimDraft] {
                ClaimDraft.split(Fixture.patient([Fixture.encounter()], id: "P-cancel-\(n)"), msgid: "bulk:cancel-\(n)", trigScen: 0, traceparent: nil)
            }
            let leader = Task { try await commits.record(push(0)) }
            try await Task.sleep(for: .milliseconds(50))
            let other = Task { try await commits.record(push(1)) }
            try await Task.sleep(for: .milliseconds(50))
            leader.cancel()
            let recorded = try await other.value
            XCTAssertEqual(recorded.filter(\.isNew).count, 1, "the other push of the round was recorded")
            _ = await Result(awaiting: { try await leader.value })
            let claims = try await harness.count("claims", where: "patn_id = 'P-cancel-1'")
            XCTAssertEqual(claims, 1)
        }
    }

    /// Settlement calls share rounds (intake gives them a group commit of their own, beside the
    /// bulk pushes'): each call is answered from everything recorded before it — earlier rounds and the calls before it in its own round — so the calls
    /// of one person see 0, 1, 2, … earlier settlements, never two the same; a msgid sent twice at
    /// once is answered once and the other call is told it raced.
    func testSettlementCallsSeeEverySettlementBeforeThemAndAMsgidIsTakenOnce() async throws {
        let harness = try IntakeHarness()
        try await harness.run { _, _ in
            let commits = GroupCommit(store: harness.assembly.store, lane: "test", maxClaims: 5, overlapsRounds: true)
            func call(_ n: Int, msgid: String? = nil) throws -> SettlementCall { try Self.countingCall(msgid ?? "call-\(n)") }
            let calls = try (0..<24).map { try call($0) } + [try call(90, msgid: "twice"), try call(91, msgid: "twice")]
            let bulk = (0..<6).map { n in ClaimDraft.split(Fixture.patient([Fixture.encounter()], id: "P-bulk-\(n)"), msgid: "bulk:\(n)", trigScen: 0, traceparent: nil) }
            let outcomes = await withTaskGroup(of: (Int, Result<Data, any Error>).self) { group in
                for (n, settlement) in calls.enumerated() { group.addTask { (n, await Result(awaiting: { try await commits.settle(settlement) })) } }
                for drafts in bulk { group.addTask { (-1, await Result(awaiting: { _ = try await commits.record(drafts); return Data() })) } }
                return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            let seen = try (0..<24).map { Int(String(decoding: try outcomes[$0]!.get(), as: UTF8.self))! }
            let twice = [outcomes[24]!, outcomes[25]!]
            XCTAssertEqual(twice.filter { (try? $0.get()) != nil }.count, 1, "one of the two calls with one msgid is answered")
            XCTAssertTrue(twice.contains { if case .failure(let error) = $0 { error is MessageLog.Raced } else { false } })
            let answeredTwice = Int(String(decoding: try twice.first { (try? $0.get()) != nil }!.get(), as: UTF8.self))!
            XCTAssertEqual((seen + [answeredTwice]).sorted(), Array(0..<25), "each call saw every settlement of the person recorded before it")
            let claims = try await harness.count("claims"), answers = try await harness.count("messages", where: "response IS NOT NULL")
            XCTAssertEqual(claims, 25 + 6)
            XCTAssertEqual(answers, 25)
        }
    }

    /// Rounds overlap: the next starts its reads while the one before commits, and counts that
    /// round's claims only once it has committed. A round that failed is no one's history: of three
    /// calls of one person, one whose record PostgreSQL refuses (a NUL byte, at the round's writes,
    /// after the call was answered), the other two see 0 and 1 earlier settlements, never 2.
    func testACallIsNeverAnsweredFromTheClaimsOfARoundThatFailed() async throws {
        let harness = try IntakeHarness()
        try await harness.run { _, _ in
            let commits = GroupCommit(store: harness.assembly.store, lane: "test", maxClaims: 1, overlapsRounds: true)
            let calls = [try Self.countingCall("round-0", refused: true), try Self.countingCall("round-1"), try Self.countingCall("round-2")]
            let outcomes = await withTaskGroup(of: (Int, Result<Data, any Error>).self) { group in
                for (n, settlement) in calls.enumerated() { group.addTask { (n, await Result(awaiting: { try await commits.settle(settlement) })) } }
                return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            XCTAssertThrowsError(try outcomes[0]!.get(), "the refused record fails its call")
            let seen = try [1, 2].map { Int(String(decoding: try outcomes[$0]!.get(), as: UTF8.self))! }
            XCTAssertEqual(seen.sorted(), [0, 1], "the failed round's settlement counted by no one")
            let claims = try await harness.count("claims")
            XCTAssertEqual(claims, 2)
        }
    }

    /// The race the overlap opens, made certain: every COMMIT takes 200 ms (a deferred trigger), so
    /// each round reads while the one before still commits and sees none of its claims; the calls
    /// count them once that COMMIT has succeeded — and not when it fails (the trigger refuses one
    /// msgid's claim at COMMIT, after the next round has read). Four calls of one person: the one
    /// refused fails, the three others see 0, 1 and 2 earlier settlements.
    func testTheRoundBeforeCountsOnceItsCommitSucceededAndNeverWhenItFails() async throws {
        let harness = try IntakeHarness()
        try await harness.run { _, _ in
            for sql in ["""
                CREATE FUNCTION \(harness.schema).slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$
                  BEGIN PERFORM pg_sleep(0.2); IF NEW.msgid = 'refused-at-commit' THEN RAISE EXCEPTION 'refused at commit'; END IF; RETURN NULL; END $$
                """, """
                CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON \(harness.schema).claims DEFERRABLE INITIALLY DEFERRED
                  FOR EACH ROW EXECUTE FUNCTION \(harness.schema).slow_commit()
                """] { try await harness.runtime.database.client.query(PostgresQuery(unsafeSQL: sql)) }
            let commits = GroupCommit(store: harness.assembly.store, lane: "test", maxClaims: 1, overlapsRounds: true)
            let calls = try ["first", "refused-at-commit", "third", "fourth"].map { try Self.countingCall($0) }
            let outcomes = await withTaskGroup(of: (Int, Result<Data, any Error>).self) { group in
                for (n, settlement) in calls.enumerated() {
                    group.addTask { (n, await Result(awaiting: { try await commits.settle(settlement) })) }
                    try? await Task.sleep(for: .milliseconds(50)) // in this order, each into the round after
                }
                return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            XCTAssertThrowsError(try outcomes[1]!.get(), "the claim refused at COMMIT fails its call")
            let seen = try [0, 2, 3].map { Int(String(decoding: try outcomes[$0]!.get(), as: UTF8.self))! }
            XCTAssertEqual(seen, [0, 1, 2], "each call saw the settlements committed before it, and not the refused one")
            let claims = try await harness.count("claims")
            XCTAssertEqual(claims, 3)
        }
    }

    /// A 3102 call of the fixture's person whose answer is how many of his settlements it saw.
    private static func countingCall(_ msgid: String, refused: Bool = false) throws -> SettlementCall {
        var drafts = ClaimDraft.split(Fixture.patient([Fixture.encounter()]), msgid: msgid, trigScen: 6, traceparent: nil)
        if refused { drafts[0].received = Array(drafts[0].patient.json) + [0] }
        let claims = try drafts.map { try Claim(patient: $0.patient, encounter: $0.encounter, claimID: $0.claimID) }
        return SettlementCall(msgid: msgid, infno: "3102", institution: Fixture.institution, drafts: drafts, claims: claims, windowDays: 30) { history in
            let seen = claims.map { history.claims(ofPerson: $0.personID, from: $0.admission, to: $0.discharge).count }
            claims.forEach { history.add($0) }
            return Data("\(seen[0])".utf8)
        }
    }
}

/// A number shared between the test's tasks.
private final class Counter: Sendable {
    private let state: Mutex<Int>
    init(_ value: Int = 0) { state = Mutex(value) }
    var value: Int { state.withLock { $0 } }
    func set(_ value: Int) { state.withLock { $0 = value } }
}

extension Result where Failure == any Error {
    init(awaiting body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
