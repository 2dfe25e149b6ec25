import ReviewStatistics
import XCTest

final class ReviewStatisticsTests: XCTestCase {
    private func encounter(_ institution: String, _ person: String, total: Decimal, drugs: Decimal = 0) -> EncounterFigures {
        EncounterFigures(institutionID: institution, personID: person, totalFees: total, fundPayments: total * Decimal(string: "0.7")!, drugFees: drugs)
    }

    func testFiguresPerInstitution() throws {
        let rows = [encounter("H1", "p1", total: 100, drugs: 40), encounter("H1", "p1", total: 50), encounter("H1", "p2", total: 150, drugs: 20)]
        let stats = institutionStatistics(period: "2026-10", encounters: rows, peers: [:], findings: [("H1", "P04"), ("H1", "P04"), ("H1", "P13")])
        let h1 = try XCTUnwrap(stats.first)
        XCTAssertEqual(h1.totalFees, 300)
        XCTAssertEqual(h1.fundPayments, 210)
        XCTAssertEqual(h1.encounters, 3)
        XCTAssertEqual(h1.persons, 2)
        XCTAssertEqual(h1.costPerEncounter, 100)
        XCTAssertEqual(h1.costPerPerson, 150)
        XCTAssertEqual(h1.drugShare, Decimal(string: "0.2"))
        XCTAssertEqual(h1.findingsPerPattern, ["P04": 2, "P13": 1])
        XCTAssertNil(h1.costZScore, "no peer comparison without peers")
    }

    func testPeerComparisonFlagsTheOutlierOnlyWithinItsGroup() throws {
        let group = PeerGroup(type: "hospital", level: 2, region: "430100"), other = PeerGroup(type: "hospital", level: 3, region: "430100")
        var rows: [EncounterFigures] = []
        var peers: [String: PeerGroup] = [:]
        for n in 0..<9 {
            rows.append(encounter("H\(n)", "p", total: Decimal(100 + n)))
            peers["H\(n)"] = group
        }
        rows.append(encounter("HX", "p", total: 400))
        peers["HX"] = group
        rows.append(encounter("BIG", "p", total: 5_000))
        peers["BIG"] = other
        let stats = Dictionary(uniqueKeysWithValues: institutionStatistics(period: "2026-10", encounters: rows, peers: peers, findings: [])
            .map { ($0.institutionId, $0) })
        XCTAssertEqual(stats["HX"]?.outlier, true)
        XCTAssertGreaterThan(stats["HX"]?.costZScore ?? 0, 2)
        XCTAssertEqual(stats["H4"]?.outlier, false)
        XCTAssertNil(stats["BIG"]?.costZScore, "a group of one is not compared")
    }
}
