import Foundation
import HISContract
import Persistence
import TestSupport
import XCTest
@testable import intake

/// Concurrent bulk pushes share transactions; each gets its own result, and a push whose claims
/// the database refuses fails alone.
final class GroupCommitTests: XCTestCase {
    func testConcurrentPushesAreRecordedOnceEachAndAFaultyOneFailsAlone() async throws {
        let harness = try IntakeHarness()
        try await harness.run { _, _ in
            let commits = GroupCommit(store: harness.assembly.store, maxClaims: 7)
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
            let claims = try await harness.count("claims"), events = try await harness.count("outbox")
            XCTAssertEqual(claims, 60)
            XCTAssertEqual(events, 60)
            // The same claims again are retries, not new claims.
            let again = try await commits.record(pushes[0] + pushes[1])
            XCTAssertEqual(again.filter(\.isNew).count, 0)
        }
    }
}

extension Result where Failure == any Error {
    init(awaiting body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
