import Foundation
import HISContract
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import TestSupport
import Events
import XCTest
@testable import intake

/// A bulk line of one encounter, or a 3102 call's patient record of one encounter, is stored and
/// published as it was received (no second encoding); a record of two encounters, or one whose
/// unknown members make it larger than its known fields could encode to, is written anew from
/// what was read.
final class ReceivedRecordTests: XCTestCase {
    func testABulkLineIsCarriedAsReceivedOnlyWhereItMayBe() async throws {
        let harness = try IntakeHarness()
        try await harness.run { client, secret in
            func line(_ patient: Patient, extra: String) throws -> String {
                let json = String(decoding: try HISJSON.encoder.encode(patient), as: UTF8.self)
                return "{" + extra + json.dropFirst()
            }
            let single = Fixture.encounter(), double = [Fixture.encounter(), Fixture.encounter()], padded = Fixture.encounter()
            let asReceived = try line(Fixture.patient([single]), extra: #" "his_note" : "kept as sent", "#)
            let lines = [asReceived + "\r",
                         try line(Fixture.patient(double), extra: #""his_note":"two encounters","#),
                         try line(Fixture.patient([padded]), extra: #""his_note":""# + String(repeating: "x", count: 60_000) + #"","#)]
            let headers: HTTPFields = [.authorization: "Bearer \(Fixture.institution):\(secret)"]
            try await client.execute(uri: "/api/his/bulk?batch=received", method: .post, headers: headers,
                                     body: ByteBuffer(string: lines.joined(separator: "\n"))) { response in
                let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                XCTAssertEqual(report["accepted"] as? Int, 4, "\(report)")
            }
            let kept = try await Self.payload(harness, single)
            XCTAssertEqual(kept, asReceived, "stored as received, without the line's carriage return")
            for encounter in double + [padded] {
                let written = try await Self.payload(harness, encounter)
                XCTAssertFalse(written.contains("his_note"), "written anew from the fields read")
                XCTAssertEqual(try Patient.read(json: Array(written.utf8)).fsiEncounterDtos.map(\.mdtrtId), [encounter.mdtrtId])
            }
            // The events name their claims; the relay reads the payload back from the claim stored.
            let rows = try await harness.runtime.database.client.query(PostgresQuery(unsafeSQL: """
                SELECT coalesce(sum(json_array_length(members::json)), 0)::int FROM \(harness.schema).outbox
                WHERE topic = 'claims.accepted' AND payload IS NULL AND payload_ref IS NULL
                """))
            var events = 0
            for try await count in rows.decode(Int.self) { events = count }
            XCTAssertEqual(events, 4, "no second copy of a record in the outbox: the round's row names its claims")
            let store = harness.assembly.store, claimID = ClaimAccepted.claimId(institution: single.medinsId, encounter: single.mdtrtId,
                                                                                 settlement: single.setlId ?? "")
            let payloads = try await harness.runtime.database.read { try await store.payloads([claimID, "no such claim"], on: $0) }
            XCTAssertEqual(Array(payloads.keys), [claimID], "an unknown reference is left out")
            let event = try XCTUnwrap(payloads[claimID])
            XCTAssertTrue(String(decoding: event, as: UTF8.self).contains(asReceived), "the event carries the record as received")
            let (accepted, record) = try ClaimAccepted.readWithRecord(event)
            XCTAssertEqual(accepted.claimId, claimID)
            XCTAssertEqual(String(decoding: record, as: UTF8.self), asReceived)
        }
    }

    func testASettlementCallsRecordOfOneEncounterIsCarriedAsReceived() async throws {
        let harness = try IntakeHarness()
        try await harness.run { client, secret in
            let single = Fixture.encounter(settlement: "S1"), double = [Fixture.encounter(settlement: "S2"), Fixture.encounter(settlement: "S3")]
            let request = Fixture.request(1, patients: [Fixture.patient([single]), Fixture.patient(double)])
            // The call as a HIS may send it: the first patient record with a member the platform does not know, spaced.
            let encoded = String(decoding: try HISJSON.encoder.encode(request), as: UTF8.self)
            let first = String(decoding: try HISJSON.encoder.encode(Fixture.patient([single])), as: UTF8.self)
            let sent = #"{ "his_note" : "kept as sent", "# + first.dropFirst()
            let body = encoded.replacingOccurrences(of: first, with: sent)
            XCTAssertNotEqual(body, encoded, "the first record was found in the call")
            let answer = try await client.national(Data(body.utf8), secret: secret)
            XCTAssertEqual(answer.infcode, 0, answer.errMsg)
            let kept = try await Self.payload(harness, single)
            XCTAssertEqual(kept, sent, "stored as received")
            for encounter in double {
                let written = try await Self.payload(harness, encounter)
                XCTAssertFalse(written.isEmpty)
                XCTAssertEqual(try Patient.read(json: Array(written.utf8)).fsiEncounterDtos.map(\.mdtrtId), [encounter.mdtrtId],
                               "a record of two encounters is written anew, one claim each")
            }
        }
    }

    /// The record stored for an encounter's claim, as text.
    private static func payload(_ harness: IntakeHarness, _ encounter: Encounter) async throws -> String {
        let rows = try await harness.runtime.database.client.query(PostgresQuery(unsafeSQL:
            "SELECT payload::text FROM \(harness.schema).claims WHERE mdtrt_id = '\(encounter.mdtrtId)'"))
        for try await text in rows.decode(String.self) { return text }
        return ""
    }
}
