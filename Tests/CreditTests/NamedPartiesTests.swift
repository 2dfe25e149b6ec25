import Events
import Foundation
import TestSupport
import XCTest
@testable import credit

/// Cases that name their parties (offender, responsible persons, conduct): credit scores and files exactly those.
final class NamedPartiesTests: XCTestCase {
    /// A card lent by an insured person (art. 41) is the person's violation, not the institution's fraud.
    func testCardLendingLeavesTheInstitutionsFileAlone() async throws {
        let harness = try CreditHarness()
        try await harness.run { _ in
            let person = CaseDecided.Party(id: "43010000000000000001", kind: "insured_person", role: "offender", insuredRegion: "430100",
                                           conduct: ["lendingInsuranceCard"])
            try await harness.deliver(try Cases.decided("L-1", on: "2025-03-01", parties: [person], article: 41, fine: 0,
                                                         handling: ["recover", "suspension"], suspensionMonths: 3))
            let institution = try await harness.count("entries", where: "entry_id = 'case:L-1' AND subject_id = '\(Cases.institution)'")
            XCTAssertEqual(institution, 0, "the institution is no party of the card-lending case")
            let personal = try await harness.count("entries", where: "entry_id = 'case:L-1' AND subject_id = '\(person.id)'")
            XCTAssertEqual(personal, 1)
        }
    }

    /// Two doctors worked on the claims, one is named: only the named one is scored, by the schedule for the conduct.
    func testOnlyTheNamedDoctorIsScoredByTheScheduleForTheConduct() async throws {
        let harness = try CreditHarness()
        try await harness.run { client in
            let institution = CaseDecided.Party(id: Cases.institution, kind: "institution", role: "offender", conduct: ["splitAdmission"])
            let named = CaseDecided.Party(id: Cases.practitioner, kind: "practitioner", role: "responsible", conduct: ["splitAdmission", "duplicateCharging"])
            try await harness.deliver(try Cases.decided("N-1", on: "2025-03-02", parties: [institution, named]))
            let scored = try await harness.count("point_actions")
            XCTAssertEqual(scored, 1, "the other doctor of the claims is not a party and gets nothing")
            try await client.call("/api/practitioners/\(Cases.practitioner)/points?on=2025-03-02") { answer in
                XCTAssertEqual(field(answer.json, "points_this_year") as? Int, 8, "split admission (7-9), not the sum of both conducts")
            }
            let filed = try await harness.count("entries", where: "entry_id = 'case:N-1' AND subject_id = '\(Cases.institution)'")
            XCTAssertEqual(filed, 1, "a named institution keeps its violation")
        }
    }
}
