import Foundation
import ReviewWorkflow
import XCTest

/// 案件来源: a case from outside the claims stands on a reference and its attached evidence.
final class CaseSourceTests: XCTestCase {
    let flight = CaseSource(kind: .flightInspection, reference: "飞检〔2026〕3号")
    let record = AttachedEvidence(kind: .inspectionRecord, title: "现场检查笔录", sha256: String(repeating: "0f", count: 32),
                                  practitioners: ["D1"], insuredPersons: ["P1"])

    func testEvidenceNamesThePeopleThePartiesAreChosenFrom() throws {
        let inquiry = AttachedEvidence(kind: .inquiryRecord, title: "询问笔录", sha256: String(repeating: "A0", count: 32), practitioners: ["D2", "D1"])
        let facts = try SourcedCaseFacts(source: flight, amount: 1200, evidence: [record, inquiry])
        XCTAssertEqual(facts.people(institution: "H1", isPharmacy: false),
                       EvidencePeople(institution: "H1", practitioners: ["D1", "D2"], insuredPersons: ["P1"]))
    }

    func testEachRefusalNamesItsField() {
        var untitled = record
        untitled.title = " "
        var short = record
        short.sha256 = "abc"
        let refusals: [(CaseSource, Decimal, [AttachedEvidence], CaseSourceError)] = [
            (CaseSource(kind: .claimReview, reference: "1"), 0, [record], .claimReviewNeedsItems),
            (CaseSource(kind: .superiorLead, reference: ""), 0, [record], .missingReference),
            (flight, -1, [record], .negativeAmount),
            (flight, 0, [], .noEvidence),
            (flight, 0, [record, untitled], .untitledEvidence(1)),
            (flight, 0, [short], .badDigest(0)),
        ]
        for (source, amount, evidence, expected) in refusals {
            XCTAssertThrowsError(try SourcedCaseFacts(source: source, amount: amount, evidence: evidence)) {
                XCTAssertEqual($0 as? CaseSourceError, expected)
            }
        }
        XCTAssertTrue(CaseSourceError.badDigest(2).description.hasPrefix("evidence[2].sha256"))
    }

    func testOnlyOnSiteAndFlightInspectionsAreInspections() {
        XCTAssertEqual(CaseSourceKind.allCases.filter(\.isInspection), [.onSiteInspection, .flightInspection])
    }
}
