import CreditRules
import HISContract
import XCTest

final class CreditFileTests: XCTestCase {
    private let subject = CreditSubject(kind: .institution, id: "H43010000002")

    private func file(_ entries: [CreditEntry]) throws -> CreditFile {
        try CreditFile(subject: subject, entries: entries)
    }

    func testUpheldObjectionReversesTheEntryFromItsDate() throws {
        var file = try file([violation("V1", .general, 50_000, on: "2025-01-10")])
        try file.fileObjection(id: "O1", against: "V1", on: day("2025-01-20"), by: "H43010000002", grounds: "金额计算错误")
        XCTAssertEqual(file.view(on: day("2025-01-20")).fact("V1")?.objection, .disputed(since: day("2025-01-20"), grounds: "金额计算错误"))
        try file.decideObjection(id: "O1-D", against: "V1", on: day("2025-02-01"), by: "legal-1", upheld: true, reason: "复核后不构成违规")

        XCTAssertEqual(grade(file.entries, on: day("2025-01-31")).grade, .B)
        let after = grade(file.entries, on: day("2025-02-01"))
        XCTAssertEqual(after.grade, .A)
        XCTAssertEqual(after.score, 95)
        XCTAssertTrue(after.reasons.contains { $0.contains("V1") && $0.contains("异议成立") })
        // Nothing was overwritten: the violation and both objection steps are still in the file.
        XCTAssertEqual(file.entries.map(\.id), ["V1", "O1", "O1-D"])
    }

    func testRejectedObjectionLeavesTheEntryAndCannotBeFiledAgain() throws {
        var file = try file([violation("V1", .general, 50_000, on: "2025-01-10")])
        try file.fileObjection(id: "O1", against: "V1", on: day("2025-01-20"), by: "H43010000002", grounds: "不服")
        try file.decideObjection(id: "O1-D", against: "V1", on: day("2025-02-01"), by: "legal-1", upheld: false, reason: "证据充分")
        XCTAssertEqual(grade(file.entries, on: day("2025-02-01")).grade, .B)
        XCTAssertThrowsError(try file.fileObjection(id: "O2", against: "V1", on: day("2025-02-02"), by: "H43010000002", grounds: "再次")) {
            XCTAssertEqual($0 as? CreditFileError,
                           .objectionNotAllowed(id: "O2", target: "V1", state: .rejected(on: day("2025-02-01"), reason: "证据充分")))
        }
    }

    func testInvalidTransitionsAreRefused() throws {
        var file = try file([violation("V1", .minor, 0, on: "2025-01-10"),
                             entry("K1", .fact(.commitmentKept(commitmentId: "C-2025")), on: "2025-01-11")])
        XCTAssertThrowsError(try file.decideObjection(id: "X", against: "V1", on: day("2025-01-12"), by: "legal-1", upheld: true, reason: "")) {
            XCTAssertEqual($0 as? CreditFileError, .noPendingObjection(id: "X", target: "V1"))
        }
        XCTAssertThrowsError(try file.fileObjection(id: "X", against: "K1", on: day("2025-01-12"), by: "h", grounds: "")) {
            XCTAssertEqual($0 as? CreditFileError, .notNegativeFact(id: "X", target: "K1"))
        }
        XCTAssertThrowsError(try file.fileObjection(id: "X", against: "nope", on: day("2025-01-12"), by: "h", grounds: "")) {
            XCTAssertEqual($0 as? CreditFileError, .unknownTarget(id: "X", target: "nope"))
        }
        XCTAssertThrowsError(try file.record(violation("V0", .minor, 0, on: "2025-01-01"))) {
            XCTAssertEqual($0 as? CreditFileError, .outOfOrder(id: "V0", recordedOn: day("2025-01-01"), last: day("2025-01-11")))
        }
        XCTAssertThrowsError(try file.decideRepair(id: "X", of: "V1", on: day("2025-01-12"), by: "s", approved: true, reason: "")) {
            XCTAssertEqual($0 as? CreditFileError, .noPendingRepair(id: "X", target: "V1"))
        }
        try file.fileObjection(id: "O1", against: "V1", on: day("2025-01-12"), by: "h", grounds: "")
        XCTAssertThrowsError(try file.requestRepair(id: "R1", of: "V1", on: day("2025-01-13"), by: "h")) {
            XCTAssertEqual($0 as? CreditFileError, .objectionPending(id: "R1", target: "V1"))
        }
    }

    func testRecordingIsIdempotentByIdAndRefusesConflicts() throws {
        var file = try file([violation("V1", .general, 1_000, on: "2025-01-10")])
        XCTAssertEqual(try file.record(violation("V1", .general, 1_000, on: "2025-01-10")), .unchanged)
        XCTAssertEqual(file.entries.count, 1)
        XCTAssertThrowsError(try file.record(violation("V1", .serious, 1_000, on: "2025-01-10"))) {
            XCTAssertEqual($0 as? CreditFileError, .conflictingEntry(id: "V1"))
        }
    }

    func testAmendmentCorrectsFromItsDateWithoutTouchingTheOriginal() throws {
        let corrected = Violation(caseId: "CASE-V1", gravity: .minor, amount: 2_000, summary: "复核后改为轻微")
        var file = try file([violation("V1", .serious, 100_000, on: "2025-01-10")])
        try file.record(entry("A1", .amendment(of: "V1", fact: .violation(corrected), reason: "复核更正"), on: "2025-03-01"))
        XCTAssertEqual(grade(file.entries, on: day("2025-02-28")).grade, .C)
        XCTAssertEqual(grade(file.entries, on: day("2025-03-01")).grade, .A)
        let fact = try XCTUnwrap(file.view(on: day("2025-03-01")).fact("V1"))
        XCTAssertEqual(fact.amendments, ["A1"])
        XCTAssertEqual(fact.original, .violation(Violation(caseId: "CASE-V1", gravity: .serious, amount: 100_000)))
        XCTAssertThrowsError(try file.record(entry("A2", .amendment(of: "V1", fact: .commitmentBroken(commitmentId: "x"), reason: ""), on: "2025-03-02"))) {
            XCTAssertEqual($0 as? CreditFileError, .amendmentChangesKind(id: "A2", target: "V1"))
        }
    }

    func testRepairNeedsPeriodRectificationAndRefundThenRestoresGradeGoingForward() throws {
        var file = try file([violation("V1", .general, 50_000, on: "2025-01-10")])
        try file.requestRepair(id: "R1", of: "V1", on: day("2025-03-01"), by: "H43010000002")
        let early = file.repairEligibility(of: "V1", on: day("2025-03-01"))
        XCTAssertFalse(early.isEligible)
        XCTAssertEqual(early.earliestDate, day("2025-07-09"))
        XCTAssertEqual(early.unmet.count, 3, "waiting period, rectification, refund: \(early.unmet)")
        XCTAssertThrowsError(try file.decideRepair(id: "R1-D", of: "V1", on: day("2025-03-01"), by: "s", approved: true, reason: ""))
        try file.decideRepair(id: "R1-D", of: "V1", on: day("2025-03-01"), by: "s", approved: false, reason: "条件未满足")

        try file.record(entry("RV", .rectificationVerified(of: "V1"), on: "2025-04-01"))
        try file.record(entry("RF1", .refundReceived(of: "V1", amount: 30_000), on: "2025-04-01"))
        XCTAssertEqual(file.repairEligibility(of: "V1", on: day("2025-07-09")).unmet.count, 1, "refund still short")
        try file.record(entry("RF2", .refundReceived(of: "V1", amount: 20_000), on: "2025-05-01"))
        XCTAssertTrue(file.repairEligibility(of: "V1", on: day("2025-07-09")).isEligible)

        try file.requestRepair(id: "R2", of: "V1", on: day("2025-07-09"), by: "H43010000002")
        try file.decideRepair(id: "R2-D", of: "V1", on: day("2025-07-10"), by: "s", approved: true, reason: "整改退款到位")
        // Going forward only: the grade of earlier dates is what it was.
        XCTAssertLessThan(grade(file.entries, on: day("2025-07-09")).score, 95)
        XCTAssertEqual(grade(file.entries, on: day("2025-07-10")).score, 95)
        XCTAssertEqual(file.view(on: day("2025-07-10")).fact("V1")?.repair, .approved(on: day("2025-07-10"), reason: "整改退款到位"))
        XCTAssertEqual(file.entries.count, 8)
    }

    func testRepeatWithinWaitingPeriodBlocksRepair() throws {
        let file = try file([violation("V1", .minor, 0, on: "2025-01-10"),
                             entry("RV", .rectificationVerified(of: "V1"), on: "2025-01-20"),
                             violation("V2", .minor, 0, on: "2025-02-10")])
        let eligibility = file.repairEligibility(of: "V1", on: day("2025-06-01"))
        XCTAssertFalse(eligibility.isEligible)
        XCTAssertTrue(eligibility.unmet.allSatisfy { $0.contains("V2") }, "\(eligibility.unmet)")
    }

    func testOverdueContributionNeedsPaymentNotRectification() throws {
        let file = try file([entry("OC", .fact(.overdueContribution(amount: 8_000)), on: "2025-01-10"),
                             entry("P", .refundReceived(of: "OC", amount: 8_000), on: "2025-02-01")])
        XCTAssertTrue(file.repairEligibility(of: "OC", on: day("2025-04-10")).isEligible)
    }

    func testFileRebuiltFromStoredEntriesChecksTransitionsAgain() throws {
        let bad = [violation("V1", .minor, 0, on: "2025-01-10"),
                   entry("D", .objectionUpheld(against: "V1", reason: ""), on: "2025-01-11")]
        XCTAssertThrowsError(try file(bad))
        let good = try file([violation("V1", .minor, 0, on: "2025-01-10")])
        let decoded = try JSONDecoder().decode(CreditFile.self, from: JSONEncoder().encode(good))
        XCTAssertEqual(decoded, good)
    }
}
