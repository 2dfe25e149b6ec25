import ReviewWorkflow
import XCTest

final class CasePartiesTests: XCTestCase {
    let evidence = EvidencePeople(institution: "H43010000001", practitioners: ["D001", "D002"], insuredPersons: ["P001"])

    func party(_ id: String, _ kind: PartyKind, _ role: PartyRole = .responsible, _ conduct: [ViolationKind] = [.duplicateCharging]) -> NamedParty {
        NamedParty(id: id, kind: kind, role: role, conduct: conduct)
    }

    func testOneOfTwoDoctorsNamedIsTheOnlyPractitioner() throws {
        let parties = try CaseParties([party("H43010000001", .institution, .offender), party("D001", .practitioner)], evidence: evidence)
        XCTAssertEqual(parties.practitioners.map(\.id), ["D001"])
        XCTAssertTrue(parties.namesInstitution)
    }

    func testAPersonTheEvidenceDoesNotNameIsRefused() {
        XCTAssertThrowsError(try CaseParties([party("H43010000001", .institution, .offender), party("D999", .practitioner)], evidence: evidence)) {
            XCTAssertEqual($0 as? PartyError, .notInEvidence("D999"))
        }
    }

    func testAnotherInstitutionIsRefused() {
        XCTAssertThrowsError(try CaseParties([party("H99", .institution, .offender)], evidence: evidence)) {
            XCTAssertEqual($0 as? PartyError, .wrongInstitution("H99"))
        }
    }

    func testExactlyOneOffender() {
        XCTAssertThrowsError(try CaseParties([party("D001", .practitioner)], evidence: evidence)) { XCTAssertEqual($0 as? PartyError, .noOffender) }
        XCTAssertThrowsError(try CaseParties([party("H43010000001", .institution, .offender), party("D001", .practitioner, .offender)],
                                             evidence: evidence)) { XCTAssertEqual($0 as? PartyError, .severalOffenders) }
    }

    func testEachPartyNeedsConductAndIsNamedOnce() {
        XCTAssertThrowsError(try CaseParties([party("H43010000001", .institution, .offender, [])], evidence: evidence)) {
            XCTAssertEqual($0 as? PartyError, .noConduct("H43010000001"))
        }
        XCTAssertThrowsError(try CaseParties([party("H43010000001", .institution, .offender), party("D001", .practitioner), party("D001", .practitioner)],
                                             evidence: evidence)) { XCTAssertEqual($0 as? PartyError, .namedTwice("D001")) }
    }

    /// Article 41: lending a card is the insured person's own conduct, never the institution's nor a doctor's.
    func testCardLendingIsTheInsuredPersonsConductAlone() throws {
        let parties = try CaseParties([party("P001", .insuredPerson, .offender, [.lendingInsuranceCard])], evidence: evidence)
        XCTAssertFalse(parties.namesInstitution)
        XCTAssertThrowsError(try CaseParties([party("H43010000001", .institution, .offender, [.lendingInsuranceCard])], evidence: evidence)) {
            XCTAssertEqual($0 as? PartyError, .notTheirConduct("H43010000001", .lendingInsuranceCard))
        }
        XCTAssertThrowsError(try CaseParties([party("H43010000001", .institution, .offender), party("D001", .practitioner, .responsible, [.resellingDrugs])],
                                             evidence: evidence)) { XCTAssertEqual($0 as? PartyError, .notTheirConduct("D001", .resellingDrugs)) }
    }

    /// An insured person is a party only for their own (article-41) conduct, not for the institution's overcharging.
    func testAnInsuredPersonIsNotAPartyOfTheInstitutionsConduct() {
        XCTAssertThrowsError(try CaseParties([party("H43010000001", .institution, .offender), party("P001", .insuredPerson)], evidence: evidence)) {
            XCTAssertEqual($0 as? PartyError, .notTheirConduct("P001", .duplicateCharging))
        }
    }

    func testAPharmacyCaseNamesThePharmacy() throws {
        let pharmacy = EvidencePeople(institution: "P43010000001", institutionIsPharmacy: true, practitioners: [], insuredPersons: [])
        XCTAssertNoThrow(try CaseParties([party("P43010000001", .pharmacy, .offender)], evidence: pharmacy))
        XCTAssertNoThrow(try CaseParties([party("P43010000001", .institution, .offender)], evidence: pharmacy), "a pharmacy is a designated institution")
        XCTAssertThrowsError(try CaseParties([party("H43010000001", .pharmacy, .offender)], evidence: evidence)) {
            XCTAssertEqual($0 as? PartyError, .wrongInstitution("H43010000001"))
        }
    }
}
