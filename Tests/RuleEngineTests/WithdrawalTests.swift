import Foundation
import HISContract
import KnowledgeBase
import RuleEngine
import XCTest

/// Withdrawn findings: contradicted by a later claim, or on a claim a corrected settlement supersedes;
/// and superseded versions leaving the history.
final class WithdrawalTests: XCTestCase {
    let amoxicillin = "XJ01CA04A00101010140000"
    let atorvastatin = "XC10AA05A00601013640655"  // 0.15 per day, max 30 days
    let doctor = Fixture.doctor2

    func sale(_ id: String = "RX") -> Claim {
        var l = drug("1", amoxicillin, at: "2026-09-10 15:00:00", serial: 50)
        l.prescriber = doctor
        return claim(id, at: Fixture.pharmacy, kind: .pharmacy, adm: "2026-09-10 15:00:00", lines: [l])
    }

    func visit(_ id: String, at time: String, by doctor: String? = nil) -> Claim {
        claim(id, adm: time, doctor: doctor ?? self.doctor, lines: [line("1", "110200001", price: 10, at: time)])
    }

    func testALateVisitWithdrawsTheSalesP23() {
        let findings = Fixture.engine.evaluate(sale(), history: InMemoryHistory())
        XCTAssertEqual(patterns(findings), ["P23"])
        let late = visit("V", at: "2026-09-08 10:00:00")
        let withdrawn = Fixture.engine.withdrawals(for: late, history: InMemoryHistory([sale()]), standing: findings)
        XCTAssertEqual(withdrawn, [FindingWithdrawal(findingID: findings[0].id, claimID: "RX", pattern: "P23", cause: .contradicted,
                                                     reason: "contradicted by later evidence: settlement V",
                                                     reasonZh: "后到的结算V表明该问题不成立", byClaimID: "V")])
    }

    func testAVisitThatDoesNotMakeThePrescriptionStandWithdrawsNothing() {
        let findings = Fixture.engine.evaluate(sale(), history: InMemoryHistory())
        for other in [visit("V", at: "2026-09-06 10:00:00"), visit("V", at: "2026-09-10 15:30:00"),
                      visit("V", at: "2026-09-09 10:00:00", by: Fixture.doctor1)] {
            XCTAssertEqual(Fixture.engine.withdrawals(for: other, history: InMemoryHistory([sale()]), standing: findings), [])
        }
    }

    func testACorrectedSettlementWithdrawsEveryFindingOfTheVersionItSupersedes() {
        let original = claim("A1", at: Fixture.level2, adm: "2026-09-01 09:00:00", lines: [line("1", "110200001", price: 99, at: "2026-09-01 09:00:00")], encounter: "MD-A")
        let findings = Fixture.engine.evaluate(original, history: InMemoryHistory())
        XCTAssertEqual(patterns(findings), ["P03"])
        var corrected = claim("A2", at: Fixture.level2, adm: "2026-09-01 09:00:00", lines: [line("1", "110200001", price: 10, at: "2026-09-01 09:00:00")], encounter: "MD-A")
        corrected.supersedes = "A1"
        let withdrawn = Fixture.engine.withdrawals(for: corrected, history: InMemoryHistory([original]), standing: findings)
        XCTAssertEqual(withdrawn.map(\.findingID), findings.map(\.id))
        XCTAssertEqual(withdrawn.first?.cause, .superseded)
        XCTAssertEqual(withdrawn.first?.reason, "superseded by corrected settlement A2")
        XCTAssertEqual(withdrawn.first?.byClaimID, "A2")
        // The corrected version is reviewed on its own and is clean.
        XCTAssertEqual(review(corrected, history: InMemoryHistory([original])), [])
    }

    func testACorrectionThatRemovesTheEvidenceWithdrawsAnotherClaimsHistoryFinding() {
        let first = claim("T1", adm: "2026-09-01 09:00:00", lines: [drug("1", amoxicillin, at: "2026-09-01 09:00:00", serial: 7)], encounter: "MD-T")
        let resale = claim("T2", person: Fixture.woman, at: Fixture.pharmacy, kind: .pharmacy, adm: "2026-09-02 09:00:00",
                           lines: [drug("1", amoxicillin, at: "2026-09-02 09:00:00", serial: 7)])
        let findings = Fixture.engine.evaluate(resale, history: InMemoryHistory([first])).filter { $0.pattern == "P13" }
        XCTAssertEqual(findings.count, 1)
        // T1 corrected without the drug: T2's code was never sold before.
        var corrected = claim("T1b", adm: "2026-09-01 09:00:00", lines: [line("1", "110200001", price: 10, at: "2026-09-01 09:00:00")], encounter: "MD-T")
        corrected.supersedes = "T1"
        let withdrawn = Fixture.engine.withdrawals(for: corrected, history: InMemoryHistory([first, resale]), standing: findings)
        XCTAssertEqual(withdrawn.map(\.findingID), findings.map(\.id))
        XCTAssertEqual(withdrawn.first?.cause, .contradicted)
        // A correction that keeps the drug withdraws nothing.
        var same = first
        same.claimID = "T1c"
        same.settlementID = "ST-T1c"
        same.supersedes = "T1"
        XCTAssertEqual(Fixture.engine.withdrawals(for: same, history: InMemoryHistory([first, resale]), standing: findings), [])
    }

    func testFindingsOfAnotherRuleVersionAreLeftToTheReplay() {
        var findings = Fixture.engine.evaluate(sale(), history: InMemoryHistory())
        findings[0].ruleVersion = 7
        XCTAssertEqual(Fixture.engine.withdrawals(for: visit("V", at: "2026-09-08 10:00:00"), history: InMemoryHistory([sale()]),
                                                  standing: findings), [])
    }

    func testASupersededVersionIsNoLongerHistoryWhicheverArrivesFirst() {
        func purchase(_ id: String, _ at: String, _ cnt: String, encounter: String? = nil, supersedes: String? = nil) -> Claim {
            var c = claim(id, at: Fixture.pharmacy, kind: .pharmacy, adm: at, lines: [line("1", atorvastatin, .drug, cnt: Decimal(string: cnt)!, price: 8, at: at)], encounter: encounter)
            c.supersedes = supersedes
            return c
        }
        // 4.5 packs, corrected to 4.5 packs again (e.g. a price fix): with the third purchase, 9 packs = 60 days, allowed.
        let a = purchase("A", "2026-09-01 09:00:00", "4.5")
        let a2 = purchase("A2", "2026-09-01 09:00:00", "4.5", encounter: "MD-A", supersedes: "A")
        let b = purchase("B", "2026-09-20 09:00:00", "4.5")
        XCTAssertFalse(review(b, history: InMemoryHistory([a, a2])).contains("P14"))
        XCTAssertFalse(review(b, history: InMemoryHistory([a2, a])).contains("P14"))
        // Without the supersession the two versions would count twice.
        var unlinked = a2
        unlinked.supersedes = nil
        unlinked.encounterID = "MD-OTHER"
        XCTAssertTrue(review(b, history: InMemoryHistory([a, unlinked])).contains("P14"))
        let history = InMemoryHistory([a2, a])
        XCTAssertTrue(history.isSuperseded("A"))
        XCTAssertEqual(history.claim(withID: "A")?.claimID, "A")
    }

    func testAnotherSettlementOfTheSameEncounterIsNoResale() {
        let a = claim("A", at: Fixture.pharmacy, kind: .pharmacy, adm: "2026-09-01 09:00:00",
                      lines: [drug("1", amoxicillin, at: "2026-09-01 09:00:00", serial: 9)], encounter: "MD-A")
        var a2 = a
        a2.claimID = "A2"
        a2.settlementID = "ST-A2"
        XCTAssertFalse(review(a2, history: InMemoryHistory([a])).contains("P13"))
    }

    /// The index a run weighs each claim against holds a finding out to the claims that can touch
    /// it: the same person, the version a correction replaces, a shared traceability code.
    func testStandingFindingsAreContestableOnlyByClaimsThatCanTouchThem() {
        let first = claim("T1", adm: "2026-09-01 09:00:00", lines: [drug("1", amoxicillin, at: "2026-09-01 09:00:00", serial: 7)], encounter: "MD-T")
        let resale = claim("T2", person: Fixture.woman, at: Fixture.pharmacy, kind: .pharmacy, adm: "2026-09-02 09:00:00",
                           lines: [drug("1", amoxicillin, at: "2026-09-02 09:00:00", serial: 7)])
        let history = InMemoryHistory([first, resale])
        let findings = Fixture.engine.evaluate(resale, history: InMemoryHistory([first])).filter { $0.pattern == "P13" }
        var standing = StandingFindings(findings, history: history)
        let sharesTheCode = claim("T3", person: Fixture.woman2, adm: "2026-09-03 09:00:00", lines: [drug("1", amoxicillin, at: "2026-09-03 09:00:00", serial: 7)])
        var corrects = visit("T2b", at: "2026-09-02 09:00:00")
        corrects.personID = Fixture.woman2.id
        corrects.supersedes = "T2"
        var samePerson = visit("V", at: "2026-09-05 10:00:00")
        samePerson.personID = Fixture.woman.id
        for toucher in [sharesTheCode, corrects, samePerson] {
            XCTAssertEqual(standing.contestable(by: toucher).map(\.id), findings.map(\.id), toucher.claimID)
        }
        var stranger = visit("X", at: "2026-09-05 10:00:00")
        stranger.personID = Fixture.woman2.id
        XCTAssertEqual(standing.contestable(by: stranger).map(\.id), [])
        standing.remove(Set(findings.map(\.id)))
        XCTAssertEqual(standing.contestable(by: sharesTheCode).map(\.id), [])
    }
}
