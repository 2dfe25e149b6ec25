import Events
import Foundation
import HISContract
import HummingbirdTesting
import Kafka
import Persistence
import TestSupport
import XCTest
@testable import intake

final class SettlementTests: XCTestCase {
    func testSettlementBecomesAClaimPublishedOnClaimsAcceptedKeyedByPerson() async throws {
        let harness = try IntakeHarness()
        try await harness.run { client, secret in
            let answer = try await client.national(Fixture.request(1), secret: secret)
            XCTAssertEqual(answer.infcode, 0, answer.errMsg)
            let claims = try await harness.count("claims")
            XCTAssertEqual(claims, 1)
            // The round's events are one row of members: [event id, key, claim, traceparent].
            let keyed = try await harness.count("outbox", where: "topic = 'claims.accepted' AND json_array_length(members::json) = 1 AND members::json->0->>1 = '\(Fixture.person)'")
            XCTAssertEqual(keyed, 1, "keyed by patn_id, so one person's claims stay on one partition")
            let relayed = try await OutboxRelay(database: harness.runtime.database, producer: harness.runtime.producer,
                                                payloads: harness.assembly.store).drain()
            XCTAssertEqual(relayed, 1)
            let left = try await harness.count("outbox", where: "topic = 'claims.accepted'")
            XCTAssertEqual(left, 0, "an event by reference leaves the outbox once published; its claim stays")
            let kept = try await harness.count("claims")
            XCTAssertEqual(kept, 1)
        }
    }

    /// The relay takes the events of claims this process committed from memory; each is the same,
    /// byte for byte, as the event written from the stored row (what another process's relay, or
    /// this one after a restart, publishes).
    func testTheEventsKeptInMemoryAreTheEventsTheStoredClaimsGive() async throws {
        let harness = try IntakeHarness()
        try await harness.run { client, secret in
            var claimIDs: [String] = []
            for n in 1...12 {
                let encounter = Fixture.encounter()
                let answer = try await client.national(Fixture.request(n, patients: [Fixture.patient([encounter])]), secret: secret)
                XCTAssertEqual(answer.infcode, 0, answer.errMsg)
                claimIDs.append(ClaimAccepted.claimId(institution: encounter.medinsId, encounter: encounter.mdtrtId, settlement: encounter.setlId ?? ""))
                try await Task.sleep(for: .milliseconds(Int.random(in: 1...7)))
            }
            let store = harness.assembly.store, stored = ClaimStore(archive: store.archive), ids = claimIDs
            XCTAssertEqual(store.events.lookup(ids).missing, [], "every committed claim's event is kept")
            XCTAssertEqual(stored.events.capacity, 0)
            let remembered = try await harness.runtime.database.read { try await store.payloads(ids, on: $0) }
            let read = try await harness.runtime.database.read { try await stored.payloads(ids, on: $0) }
            XCTAssertEqual(remembered.count, 12)
            for id in claimIDs { XCTAssertEqual(remembered[id].map { String(decoding: $0, as: UTF8.self) }, read[id].map { String(decoding: $0, as: UTF8.self) }, id) }
        }
    }

    /// P19 in the real-time answer: the doctor's outpatient count for the day is read from every
    /// settlement recorded (other persons, earlier calls), so the 121st patient of a doctor whose
    /// capacity is 120 a day is flagged at 3102, and the 120th is not.
    func testTheRealTimeAnswerCountsTheDoctorsDayAcrossPersons() async throws {
        let harness = try IntakeHarness()
        try await harness.run { client, secret in
            let registry = try String(contentsOf: TestEnvironment.repositoryRoot.appendingPathComponent("reference/kb/persons.csv"), encoding: .utf8)
            let persons = registry.split(separator: "\n").dropFirst().prefix(121).map { String($0.prefix { $0 != "," }) }
            XCTAssertEqual(persons.count, 121)
            let patients = persons.map { Fixture.patient([Fixture.encounter()], id: $0) }
            let first = try await client.national(Fixture.request(1, patients: Array(patients[0..<60])), secret: secret)
            let second = try await client.national(Fixture.request(2, patients: Array(patients[60..<120])), secret: secret)
            let last = try await client.national(Fixture.request(3, patients: [patients[120]]), secret: secret)
            XCTAssertEqual([first.infcode, second.infcode, last.infcode], [0, 0, 0], last.errMsg)
            XCTAssertFalse(first.patterns.contains("P19"))
            XCTAssertFalse(second.patterns.contains("P19"), "120 patients is the doctor's capacity, not over it")
            XCTAssertTrue(last.patterns.contains("P19"), "the 121st patient of the day is over the doctor's capacity")
        }
    }

    func testRetriedMessageAnswersAsTheFirstAndTheSameClaimIsNeverRecordedTwice() async throws {
        let harness = try IntakeHarness()
        try await harness.run { client, secret in
            var consult = Fixture.encounter(lines: [Fixture.consultLine(count: 2)])
            consult.mdtrtId = "MD-RETRY"
            let request = Fixture.request(1, patients: [Fixture.patient([consult])])
            let first = try await client.national(request, secret: secret)
            let again = try await client.national(request, secret: secret)
            XCTAssertEqual(first.infcode, 0)
            XCTAssertEqual(first.patterns, ["P04"], "two consultations on one day")
            XCTAssertEqual(NSDictionary(dictionary: first.json), NSDictionary(dictionary: again.json), "a retry answers as the first call did")
            // The same settlement under a new msgid is still one claim.
            var resent = request
            resent.msgid = Fixture.msgid(2)
            _ = try await client.national(resent, secret: secret)
            let claims = try await harness.count("claims"), events = try await harness.count("outbox")
            XCTAssertEqual(claims, 1)
            XCTAssertEqual(events, 1)
        }
    }

    func testCorrectionWithANewSettlementIdIsANewVersionNotAnOverwrite() async throws {
        let harness = try IntakeHarness()
        try await harness.run { client, secret in
            let original = Fixture.encounter("MD-CORR", settlement: "S1")
            _ = try await client.national(Fixture.request(1, patients: [Fixture.patient([original])]), secret: secret)
            var refund = Fixture.encounter("MD-CORR", settlement: "S2", lines: [Fixture.consultLine(rx: "9", count: -1)])
            refund.medfeeSumamt = -12
            let answer = try await client.national(Fixture.request(2, patients: [Fixture.patient([refund])]), secret: secret)
            XCTAssertEqual(answer.infcode, 0, answer.errMsg)
            let versions = try await harness.count("claims", where: "mdtrt_id = 'MD-CORR'")
            let second = try await harness.count("claims", where: "mdtrt_id = 'MD-CORR' AND version = 2 AND supersedes = 'H43010000001/MD-CORR/S1'")
            XCTAssertEqual(versions, 2)
            XCTAssertEqual(second, 1)
        }
    }

    /// A settlement is kept once by its claim id alone: an encounter `MD/1` settled as `S` and an
    /// encounter `MD` settled as `1/S` are two claims, not a retry of one.
    func testSettlementsWhoseIdsContainSlashesAreDistinctClaims() async throws {
        XCTAssertNotEqual(ClaimAccepted.claimId(institution: "H", encounter: "MD/1", settlement: "S"),
                          ClaimAccepted.claimId(institution: "H", encounter: "MD", settlement: "1/S"))
        XCTAssertNotEqual(ClaimAccepted.claimId(institution: "H", encounter: "MD%2F1", settlement: "S"),
                          ClaimAccepted.claimId(institution: "H", encounter: "MD/1", settlement: "S"))
        XCTAssertEqual(ClaimAccepted.claimId(institution: "H", encounter: "MD-1", settlement: "S"), "H/MD-1/S", "plain ids read as before")
        let harness = try IntakeHarness()
        try await harness.run { client, secret in
            for (n, encounter) in [Fixture.encounter("MD/1", settlement: "S"), Fixture.encounter("MD", settlement: "1/S")].enumerated() {
                let answer = try await client.national(Fixture.request(n + 1, patients: [Fixture.patient([encounter])]), secret: secret)
                XCTAssertEqual(answer.infcode, 0, answer.errMsg)
            }
            let stored = try await harness.count("claims", where: "mdtrt_id IN ('MD/1', 'MD') AND version = 1")
            XCTAssertEqual(stored, 2, "each settlement recorded, each the first version of its encounter")
        }
    }

    func testABatchWithOneBadRecordIsRefusedWholeNamingTheRecord() async throws {
        let harness = try IntakeHarness()
        try await harness.run { client, secret in
            var bad = Fixture.encounter()
            bad.medfeeSumamt = 1
            let request = Fixture.request(1, patients: [Fixture.patient(), Fixture.patient(), Fixture.patient([bad])])
            let answer = try await client.national(request, secret: secret)
            XCTAssertEqual(answer.infcode, -1)
            XCTAssertTrue(answer.errMsg.contains("input.data.patient_dtos[2].fsi_encounter_dtos[0].medfee_sumamt"), answer.errMsg)
            let claims = try await harness.count("claims")
            XCTAssertEqual(claims, 0, "the good records of a refused call are not kept")
        }
    }

    func testRegistryMismatchAndCareAfterDeathAreAcceptedAndFlagged() async throws {
        let harness = try IntakeHarness()
        try await harness.run { client, secret in
            let mismatch = Fixture.request(1, patients: [Fixture.patient(gend: "2")])
            let answer = try await client.national(mismatch, secret: secret)
            XCTAssertEqual(answer.infcode, 0)
            XCTAssertTrue(answer.patterns.contains("P21"), "\(answer.patterns)")
            let claims = try await harness.count("claims")
            XCTAssertEqual(claims, 1)
        }
    }

    func test3101ChecksAndAnswersButCreatesNoClaim() async throws {
        let harness = try IntakeHarness()
        try await harness.run { client, secret in
            let check = Fixture.request(1, infno: "3101", scenario: 2, patients: [Fixture.patient([Fixture.encounter(settlement: nil, lines: [Fixture.consultLine(count: 2)])])])
            let answer = try await client.national(check, secret: secret)
            XCTAssertEqual(answer.infcode, 0, answer.errMsg)
            XCTAssertEqual(answer.patterns, ["P04"])
            let claims = try await harness.count("claims"), messages = try await harness.count("messages", where: "infno = '3101'")
            XCTAssertEqual(claims, 0)
            XCTAssertEqual(messages, 1, "the check is recorded")
        }
    }

    func test3103RecordsTheDoctorsAnswerAndRequiresAReasonToGoOn() async throws {
        let harness = try IntakeHarness()
        try await harness.run { client, secret in
            func feedback(_ n: Int, way: String, reason: String?) throws -> Data {
                let warn: [String: Any] = ["warn_rslt_id": "JR-1", "dspo_way": way, "dspo_way_rea": reason as Any]
                let body: [String: Any] = ["infno": "3103", "msgid": Fixture.msgid(n), "fixmedins_code": Fixture.institution,
                                           "input": ["data": ["warn_type": 2, "warns": [warn.compactMapValues { $0 is NSNull ? nil : $0 }]]]]
                return try JSONSerialization.data(withJSONObject: body)
            }
            let refused = try await client.national(try feedback(1, way: "1", reason: nil), secret: secret)
            XCTAssertTrue(refused.errMsg.contains("input.data.warns[0].dspo_way_rea: is required"), refused.errMsg)
            let accepted = try await client.national(try feedback(2, way: "1", reason: "患者病情需要"), secret: secret)
            XCTAssertEqual(accepted.infcode, 0, accepted.errMsg)
            let rows = try await harness.count("feedback", where: "jr_id = 'JR-1' AND dspo_way_rea = '患者病情需要'")
            XCTAssertEqual(rows, 1)
        }
    }
}
