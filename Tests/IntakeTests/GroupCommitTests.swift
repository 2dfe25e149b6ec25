import Foundation
import HISContract
import Persistence
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
            let commits = GroupCommit(store: harness.assembly.store, lane: "test", maxClaims: 5)
            func call(_ n: Int, msgid: String? = nil) throws -> SettlementCall {
                let drafts = ClaimDraft.split(Fixture.patient([Fixture.encounter()]), msgid: msgid ?? "call-\(n)", trigScen: 6, traceparent: nil)
                let claims = try drafts.map { try Claim(patient: $0.patient, encounter: $0.encounter, claimID: $0.claimID) }
                return SettlementCall(msgid: msgid ?? "call-\(n)", infno: "3102", institution: Fixture.institution, drafts: drafts, claims: claims,
                                      windowDays: 30) { history in
                    let seen = claims.map { history.claims(ofPerson: $0.personID, from: $0.admission, to: $0.discharge).count }
                    claims.forEach { history.add($0) }
                    return Data("\(seen[0])".utf8)
                }
            }
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
