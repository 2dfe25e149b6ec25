import Foundation
import HISContract
import Hummingbird
import HummingbirdTesting
import TestSupport
import XCTest
@testable import intake

/// The dictionary's bounds and the broker's message size at the door, over HTTP against the real
/// database: a record beyond one is refused naming the field and its bound, and nothing is written.
final class RecordLimitTests: XCTestCase {
    /// The finding of issue 15: a 350,000-character (about 1 MB) patient name was accepted, and
    /// its event could never be published.
    func testAMegabyteNameIsRefusedNamingTheFieldAndItsBound() async throws {
        let harness = try IntakeHarness()
        try await harness.run { client, secret in
            var patient = Fixture.patient()
            patient.patnName = String(repeating: "张", count: 350_000)
            let answer = try await client.national(Fixture.request(1, patients: [patient]), secret: secret)
            XCTAssertEqual(answer.infcode, -1)
            XCTAssertEqual(answer.errMsg, "input.data.patient_dtos[0].patn_name: is 350000 characters long; at most 50 allowed")
            let claims = try await harness.count("claims"), events = try await harness.count("outbox")
            XCTAssertEqual(claims, 0)
            XCTAssertEqual(events, 0)
            // The refusal is counted by interface and infcode, and the request by route and status.
            try await client.execute(uri: "/metrics", method: .get) { response in
                let lines = String(buffer: response.body).split(separator: "\n")
                XCTAssertTrue(lines.contains { $0.hasPrefix("his_answers_total{") && $0.contains("infno=\"3102\"") && $0.contains("infcode=\"-1\"") })
                XCTAssertTrue(lines.contains { $0.hasPrefix("http_server_requests_total{") && $0.contains("http_route=\"/api/his\"")
                    && $0.contains("http_response_status_code=\"200\"") })
                XCTAssertTrue(lines.contains { $0.hasPrefix("http_server_request_duration_seconds_bucket{") })
            }
        }
    }

    func testTooManyLinesAndAnEventLargerThanTheBrokerTakesAreRefused() async throws {
        let harness = try IntakeHarness(extra: ["KAFKA_PROP_MESSAGE_MAX_BYTES": "20000"])
        try await harness.run { client, secret in
            let many = (1...2_001).map { Fixture.consultLine(rx: "\($0)") }
            let tooMany = try await client.national(Fixture.request(2, patients: [Fixture.patient([Fixture.encounter(lines: many)])]), secret: secret)
            XCTAssertEqual(tooMany.errMsg, "input.data.patient_dtos[0].fsi_encounter_dtos[0].fsi_order_dtos: has 2001 elements; at most 2000 allowed")

            // 150 lines with long (allowed) names: about 60 kB, more than the 20,000 bytes the producer may send.
            let long = (1...150).map { n -> Order in
                var line = Fixture.consultLine(rx: "\(n)")
                line.hilistName = String(repeating: "诊", count: 100)
                return line
            }
            let large = try await client.national(Fixture.request(3, patients: [Fixture.patient([Fixture.encounter(lines: long)])]), secret: secret)
            XCTAssertEqual(large.infcode, -1)
            XCTAssertTrue(large.errMsg.contains("fsi_encounter_dtos[0]: its claims.accepted event would be about"), large.errMsg)
            XCTAssertTrue(large.errMsg.contains("message.max.bytes 20000"), large.errMsg)

            let fits = try await client.national(Fixture.request(4), secret: secret)
            XCTAssertEqual(fits.infcode, 0, fits.errMsg)
            let claims = try await harness.count("claims")
            XCTAssertEqual(claims, 1)
        }
    }

    func testTheBulkPathRejectsTheLineBeyondABoundByItsNumber() async throws {
        let harness = try IntakeHarness()
        try await harness.run { client, secret in
            var long = Fixture.encounter()
            long.dscgMainDiseName = String(repeating: "病", count: 201)
            let lines = try [Fixture.patient(), Fixture.patient([long])].map { String(decoding: try HISJSON.encoder.encode($0), as: UTF8.self) }
            let headers: HTTPFields = [.authorization: "Bearer \(Fixture.institution):\(secret)"]
            try await client.execute(uri: "/api/his/bulk?batch=limits", method: .post, headers: headers,
                                     body: ByteBuffer(string: lines.joined(separator: "\n"))) { response in
                let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                XCTAssertEqual(report["accepted"] as? Int, 1)
                let rejected = try XCTUnwrap(report["rejected"] as? [[String: Any]])
                XCTAssertEqual(rejected.first?["line"] as? Int, 2)
                XCTAssertEqual(rejected.first?["errors"] as? [String],
                               ["line 2.fsi_encounter_dtos[0].dscg_main_dise_name: is 201 characters long; at most 200 allowed"])
            }
        }
    }
}
