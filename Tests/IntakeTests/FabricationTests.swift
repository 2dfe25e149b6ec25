import Events
import Foundation
import HISContract
import HummingbirdTesting
import Persistence
import TestSupport
import XCTest
@testable import intake

/// P22 and P23 in the real-time 3102 answers: the same engine as the full review, with the persons'
/// settled history loaded by intake.
final class FabricationTests: XCTestCase {
    static let pharmacy = Fixture.pharmacy

    /// A pharmacy sale of two boxes of amoxicillin (prescription-only) at `time`, as a patient record.
    static func sale(_ id: String, at time: String, prescriber: String?, person: String = Fixture.person) -> Patient {
        Fixture.patient([Fixture.pharmacySale(id, at: time, prescriber: prescriber)], id: person)
    }

    static func pharmacyRequest(_ n: Int, _ patient: Patient) throws -> Data {
        try HISJSON.encoder.encode(HISRequest(infno: "3102", msgid: "\(pharmacy)20261122100000\(String(format: "%04d", n))", fixmedinsCode: pharmacy,
                                              infTime: "2026-11-22 10:00:00",
                                              input: ReviewInput(data: ReviewRequest(trigScen: 10, patientDtos: [patient]))))
    }

    func testASaleStandsOnAnEarlierVisitOfThePrescriberAndIsP23Otherwise() async throws {
        let harness = try IntakeHarness()
        try await harness.run { client, secret in
            // The visit: Fixture.doctor saw the person on 2026-11-20 (settled, trig_scen 6).
            let visit = try await client.national(Fixture.request(1, patients: [Fixture.patient([Fixture.encounter("V1", lines: [Fixture.consultLine()])])]),
                                                  secret: secret)
            XCTAssertEqual(visit.infcode, 0, visit.errMsg)
            let pharmacySecret = try await Credentials(database: harness.runtime.database).issue(for: Self.pharmacy, by: IntakeHarness.operatorPerson)
            func sell(_ n: Int, _ patient: Patient) async throws -> NationalAnswer {
                try await client.national(try Self.pharmacyRequest(n, patient), institution: Self.pharmacy, secret: pharmacySecret)
            }
            // Two days after the visit, prescribed by its doctor: stands.
            let stands = try await sell(2, Self.sale("RX1", at: "2026-11-22 10:00:00", prescriber: Fixture.doctor))
            XCTAssertEqual(stands.infcode, 0, stands.errMsg)
            XCTAssertFalse(stands.patterns.contains("P23"), "\(stands.patterns)")
            // No prescriber, or four calendar days after the visit: P23, explained.
            let none = try await sell(3, Self.sale("RX2", at: "2026-11-22 11:00:00", prescriber: nil))
            XCTAssertTrue(none.patterns.contains("P23"), "\(none.patterns)")
            let late = try await sell(4, Self.sale("RX3", at: "2026-11-24 11:00:00", prescriber: Fixture.doctor))
            XCTAssertTrue(late.patterns.contains("P23"), "\(late.patterns)")
            let text = late.results.first { $0["vola_bhvr_type"] as? String == "P23" }?["vola_cont"] as? String ?? ""
            XCTAssertTrue(text.contains("第四十条") && text.contains("R-P23-001"), text)
        }
    }

    func testACheckIsNoVisit() async throws {
        let harness = try IntakeHarness()
        try await harness.run { client, secret in
            let check = try await client.national(Fixture.request(1, infno: "3101", scenario: 2,
                                                                  patients: [Fixture.patient([Fixture.encounter("C1", settlement: nil, lines: [Fixture.consultLine()])])]),
                                                  secret: secret)
            XCTAssertEqual(check.infcode, 0, check.errMsg)
            let pharmacySecret = try await Credentials(database: harness.runtime.database).issue(for: Self.pharmacy, by: IntakeHarness.operatorPerson)
            let answer = try await client.national(try Self.pharmacyRequest(2, Self.sale("RX1", at: "2026-11-21 10:00:00", prescriber: Fixture.doctor)),
                                                   institution: Self.pharmacy, secret: pharmacySecret)
            XCTAssertEqual(answer.infcode, 0, answer.errMsg)
            XCTAssertTrue(answer.patterns.contains("P23"), "\(answer.patterns)")
        }
    }

    func testAStayWithThreeIdleFullDaysIsP22AtInpatientSettlement() async throws {
        let harness = try IntakeHarness()
        try await harness.run { client, secret in
            func stay(_ id: String, careOn days: [Int]) -> Patient {
                var lines = [Order(rxId: "b", hilistCode: "120100001", hilistType: "201", cnt: 6, pric: 45, sumamt: 270, feeOcurTime: "2026-11-10 10:00:00"),
                             Order(rxId: "n", hilistCode: "120200003", hilistType: "201", cnt: 6, pric: 16, sumamt: 96, feeOcurTime: "2026-11-10 10:00:00")]
                for day in days {
                    lines.append(Order(rxId: "i\(day)", hilistCode: "120400001", hilistType: "201", cnt: 1, pric: 5, sumamt: 5,
                                       feeOcurTime: "2026-11-\(day) 11:00:00"))
                }
                var e = Fixture.encounter(id, lines: lines)
                e.medMdtrtType = "2"
                e.admDate = "2026-11-10 10:00:00"
                e.dscgDate = "2026-11-16 10:00:00"
                return Fixture.patient([e])
            }
            // Full days 11-15; care on 11 and 15 leaves 12-14 idle.
            let idle = try await client.national(Fixture.request(1, scenario: 8, patients: [stay("IP1", careOn: [11, 15])]), secret: secret)
            XCTAssertEqual(idle.infcode, 0, idle.errMsg)
            XCTAssertTrue(idle.patterns.contains("P22"), "\(idle.patterns)")
            let text = idle.results.first { $0["vola_bhvr_type"] as? String == "P22" }?["vola_cont"] as? String ?? ""
            XCTAssertTrue(text.contains("2026-11-12至2026-11-14"), text)
            // Care on 11, 14 and 15: two idle days are allowed.
            let fine = try await client.national(Fixture.request(2, scenario: 8, patients: [stay("IP2", careOn: [11, 14, 15])]), secret: secret)
            XCTAssertEqual(fine.infcode, 0, fine.errMsg)
            XCTAssertFalse(fine.patterns.contains("P22"), "\(fine.patterns)")
        }
    }
}
