@testable import ClaimArchive
import XCTest

/// A traceability code twice on one claim is one row of `claim_trace_codes`, however the pairs come.
final class TraceCodeRowsTests: XCTestCase {
    private func rows(_ pairs: [(String, String)]) -> [String] {
        TraceCodeRows(pairs.map { (code: $0.0, claimID: $0.1) }).rows.map { "\($0.code)@\($0.claimID)" }
    }

    func testACodeRepeatedOnAClaimIsOneRowAndTheSameCodeOnAnotherClaimIsItsOwn() {
        XCTAssertEqual(rows([("c1", "A"), ("c2", "A"), ("c1", "A"), ("c1", "B"), ("c2", "B"), ("c2", "B")]),
                       ["c1@A", "c2@A", "c1@B", "c2@B"])
    }

    func testAClaimWhoseCodesComeInTwoRunsStillHasEachCodeOnce() {
        XCTAssertEqual(rows([("c1", "A"), ("c2", "B"), ("c1", "A"), ("c3", "A"), ("c2", "B")]),
                       ["c1@A", "c2@B", "c3@A"])
    }

    func testARunLongerThanTheComparedFewIsHashedWithoutLosingARepeat() {
        let codes = (0..<40).map { "code\($0)" }
        let pairs = (codes + codes.reversed()).map { ($0, "A") } + [("code0", "B")]
        XCTAssertEqual(rows(pairs), codes.map { "\($0)@A" } + ["code0@B"])
    }
}
