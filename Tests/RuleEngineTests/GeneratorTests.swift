import Foundation
import HISContract
import KnowledgeBase
import RuleEngine
import TrafficGenerator
import XCTest

/// The synthetic traffic: deterministic, consistent, clean where it says so, and caught where not.
final class GeneratorTests: XCTestCase {
    static let sample = TrafficGenerator(knowledgeBase: Fixture.kb,
                                         configuration: GeneratorConfiguration(seed: 7, count: 3000, violationRate: 0.25)).generate()

    func testSameSeedSameStream() {
        let config = GeneratorConfiguration(seed: 42, count: 300)
        let a = TrafficGenerator(knowledgeBase: Fixture.kb, configuration: config).generate()
        let b = TrafficGenerator(knowledgeBase: Fixture.kb, configuration: config).generate()
        XCTAssertEqual(a.count, 300)
        XCTAssertEqual(a.map(\.msgid), b.map(\.msgid))
        XCTAssertEqual(a.map { $0.patient.fsiEncounterDtos[0].fsiOrderDtos.map(\.sumamt) }, b.map { $0.patient.fsiEncounterDtos[0].fsiOrderDtos.map(\.sumamt) })
        let other = TrafficGenerator(knowledgeBase: Fixture.kb, configuration: GeneratorConfiguration(seed: 43, count: 300)).generate()
        XCTAssertNotEqual(a.map(\.msgid), other.map(\.msgid))
    }

    func testSettlementsAreConsistent() throws {
        let sample = Self.sample
        XCTAssertEqual(sample.map(\.settlementTime), sample.map(\.settlementTime).sorted())
        XCTAssertEqual(Set(sample.map(\.msgid)).count, sample.count)
        var codes = Set<String>()
        for s in sample {
            let e = s.encounter
            XCTAssertEqual(s.patient.fsiEncounterDtos.count, 1)
            XCTAssertNotNil(e.setlId)
            XCTAssertEqual(e.medfeeSumamt, e.fsiOrderDtos.reduce(0) { $0 + $1.sumamt })
            XCTAssertLessThanOrEqual(try XCTUnwrap(CivilDateTime(e.admDate)), try XCTUnwrap(CivilDateTime(e.dscgDate)))
            // A corrected version repeats its original's packages; its refund line carries none.
            for o in e.fsiOrderDtos where o.isDrug && o.cnt > 0 && s.supersedes == nil && s.expectedPatterns.isDisjoint(with: ["P12", "P13"]) {
                let trace = o.drugTracCodg ?? []
                XCTAssertEqual(Decimal(trace.count), o.cnt)
                XCTAssertTrue(trace.allSatisfy { $0.count == 20 && $0.hasPrefix(Fixture.kb.drugs[o.hilistCode]!.tracePrefix) })
                for code in trace { XCTAssertTrue(codes.insert(code).inserted, "trace code \(code) reused") }
            }
        }
    }

    /// The labelled set is exact: every label found, nothing found that is not labelled — reviewing in
    /// settlement order and shuffled, scoring the findings that stand after withdrawals.
    func testEveryPatternIsFoundAndNothingElseInOrderAndShuffled() throws {
        let claims = try Self.sample.map { try $0.claim() }
        let review = StandingReview(engine: Fixture.engine, claims: claims)
        for shuffled in [false, true] {
            let order = shuffled ? deterministicShuffle(Array(claims.indices), seed: 11) : Array(claims.indices)
            let score = LabelScore(settlements: Self.sample, claimIDs: claims.map(\.claimID), standing: review.run(order).standing,
                                   byIncident: shuffled)
            XCTAssertEqual(score.falsePositives, 0, "shuffled \(shuffled): \(score.examples.prefix(3))")
            for n in 1...23 {
                let p = String(format: "P%02d", n)
                let t = score.tallies[p] ?? LabelScore.Tally()
                XCTAssertGreaterThan(t.expected, 0, "\(p) never injected")
                XCTAssertEqual(t.detected, t.expected, "\(p) recall, shuffled \(shuffled)")
            }
        }
    }

    func testClaimsAreAsDenseAsHospitalsSendThem() throws {
        let claims = try Self.sample.map { try $0.claim() }
        let mean = Double(claims.reduce(0) { $0 + $1.lines.count }) / Double(claims.count)
        print("mean fee lines per claim: \(mean)")
        XCTAssertGreaterThanOrEqual(mean, 8)
        let stays = claims.filter { $0.kind == .inpatient }
        XCTAssertGreaterThanOrEqual(Double(stays.reduce(0) { $0 + $1.lines.count }) / Double(stays.count), 20, "dozens of lines a stay")
        let corrections = Self.sample.filter { $0.supersedes != nil }
        XCTAssertGreaterThan(corrections.count, claims.count / 100)
        XCTAssertLessThan(corrections.count, claims.count / 10)
        let ids = Set(claims.map(\.claimID))
        for c in corrections {
            XCTAssertTrue(ids.contains(c.supersedes!), "a correction supersedes a settlement of the stream")
            XCTAssertTrue(c.encounter.fsiOrderDtos.contains { $0.cnt < 0 }, "a correction carries a refund line")
        }
    }

    func testPharmacySalesCarryPrescriptionsForPrescriptionOnlyDrugsOnly() {
        var prescribed = 0
        for s in Self.sample where s.encounter.medMdtrtType == "3" {
            for o in s.encounter.fsiOrderDtos where o.cnt > 0 {
                let rxOnly = Fixture.kb.drugs[o.hilistCode]?.rxOnly == true
                if !rxOnly { XCTAssertNil(o.drordDrCodg, "an over-the-counter drug needs no prescription") }
                if rxOnly, !s.expectedPatterns.contains("P23") {
                    XCTAssertEqual(Fixture.kb.practitioners[o.drordDrCodg ?? ""]?.kind, .doctor)
                    prescribed += 1
                }
            }
        }
        XCTAssertGreaterThan(prescribed, 100)
    }

    func testRetriedSettlementIsOneClaim() throws {
        let s = try XCTUnwrap(Self.sample.first { $0.expectedPatterns.isEmpty })
        var history = InMemoryHistory()
        history.add(try s.claim())
        history.add(try s.claim())
        XCTAssertEqual(history.count, 1)
        var check = try s.claim()
        check.settlementID = nil
        history.add(check)
        XCTAssertEqual(history.count, 1, "a check without settlement is not history")
    }
}
