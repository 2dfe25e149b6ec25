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
            for o in e.fsiOrderDtos where o.isDrug && s.expectedPatterns.isDisjoint(with: ["P12", "P13"]) {
                let trace = o.drugTracCodg ?? []
                XCTAssertEqual(Decimal(trace.count), o.cnt)
                XCTAssertTrue(trace.allSatisfy { $0.count == 20 && $0.hasPrefix(Fixture.kb.drugs[o.hilistCode]!.tracePrefix) })
                for code in trace { XCTAssertTrue(codes.insert(code).inserted, "trace code \(code) reused") }
            }
        }
    }

    func testEveryPatternIsInjectedAndCleanClaimsStayClean() throws {
        var history = InMemoryHistory()
        var expected: [String: Int] = [:], detected: [String: Int] = [:]
        var falsePositives: [String] = []
        for s in Self.sample {
            let claim = try s.claim()
            let found = Set(Fixture.engine.evaluate(claim, history: history).map(\.pattern))
            history.add(claim)
            if s.expectedPatterns.isEmpty, !found.isEmpty { falsePositives.append("\(s.claimID): \(found.sorted())") }
            for p in s.expectedPatterns {
                expected[p, default: 0] += 1
                if found.contains(p) { detected[p, default: 0] += 1 }
            }
        }
        XCTAssertEqual(falsePositives, [])
        for n in 1...21 {
            let p = String(format: "P%02d", n)
            let e = expected[p] ?? 0
            XCTAssertGreaterThan(e, 0, "\(p) never injected")
            XCTAssertGreaterThanOrEqual(Double(detected[p] ?? 0), 0.98 * Double(e), "\(p) recall")
        }
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
