import Foundation
import HISContract
import HummingbirdTesting
import TestSupport
import XCTest
@testable import intake

/// Every edge check over HTTP, against the real database: each bad push gets its own
/// field-level error and writes no claim and no event.
final class ValidationTests: XCTestCase {
    /// (what is broken, the request, a fragment the err_msg must contain)
    static func cases() -> [(String, HISRequest<ReviewInput>, String)] {
        func with(_ change: (inout Encounter) -> Void) -> HISRequest<ReviewInput> {
            var encounter = Fixture.encounter()
            change(&encounter)
            return Fixture.request(1, patients: [Fixture.patient([encounter])])
        }
        var unknownPerson = Fixture.request(1, patients: [Fixture.patient(id: "99999999999999999999")])
        unknownPerson.msgid = Fixture.msgid(1)
        var otherInstitution = Fixture.request(1)
        otherInstitution.input.data.patientDtos[0].fsiEncounterDtos[0].medinsId = "H43010000002"
        var badMsgid = Fixture.request(1)
        badMsgid.msgid = "12345"
        return [
            ("total differs from the lines", with { $0.medfeeSumamt += 1 }, "fsi_encounter_dtos[0].medfee_sumamt"),
            ("sumamt is not cnt x pric", with { $0.fsiOrderDtos[0].sumamt = 13 }, "fsi_order_dtos[0].sumamt"),
            ("discharge before admission", with { $0.dscgDate = "2026-11-19 09:00:00" }, "dscg_date: discharge"),
            ("future date", with { $0.admDate = "2099-01-01 09:00:00"; $0.dscgDate = "2099-01-01 10:00:00" }, "adm_date: 2099-01-01 09:00:00 is in the future"),
            ("malformed date", with { $0.admDate = "2026/11/20" }, "adm_date: must be yyyy-MM-dd HH:mm:ss"),
            ("drug without one code per package", with { $0.fsiOrderDtos[1].drugTracCodg = [Fixture.traceCode()] }, "fsi_order_dtos[1].drug_trac_codg: has 1 codes for cnt 2"),
            ("malformed traceability code", with { $0.fsiOrderDtos[1].drugTracCodg![0] = "81000" }, "drug_trac_codg[0]"),
            ("duplicate rx_id", with { $0.fsiOrderDtos[1].rxId = "1" }, "fsi_order_dtos[1].rx_id: '1' is used twice"),
            ("unknown practitioner", with { $0.drCodg = "D999999999999" }, "dr_codg: 'D999999999999' is not a registered practitioner"),
            ("unknown catalogue code", with { $0.fsiOrderDtos[0].hilistCode = "999999999" }, "hilist_code: '999999999' is not in the insurance catalogue"),
            ("zero count", with { $0.fsiOrderDtos[0].cnt = 0; $0.fsiOrderDtos[0].sumamt = 0; $0.medfeeSumamt = Decimal(string: "25.60")! }, "fsi_order_dtos[0].cnt: must not be 0"),
            ("settlement without setl_id", with { $0.setlId = nil }, "setl_id: is required on a settlement"),
            ("bad encounter type", with { $0.medMdtrtType = "7" }, "med_mdtrt_type"),
            ("unknown insured person", unknownPerson, "patn_id: '99999999999999999999' is not in the insured-person registry"),
            ("another institution's encounter", otherInstitution, "medins_id: 'H43010000002' is not the institution of this credential"),
            ("malformed msgid", badMsgid, "msgid: must be fixmedins_code + yyyyMMddHHmmss"),
        ]
    }

    func testEachBadPushGetsItsOwnErrorAndWritesNothing() async throws {
        let harness = try IntakeHarness()
        try await harness.run { client, secret in
            for (n, (what, request, expected)) in Self.cases().enumerated() {
                var request = request
                if request.msgid.hasPrefix(Fixture.institution) { request.msgid = Fixture.msgid(100 + n) }
                let answer = try await client.national(request, secret: secret)
                XCTAssertEqual(answer.infcode, -1, what)
                XCTAssertTrue(answer.errMsg.contains(expected), "\(what): '\(answer.errMsg)' should name '\(expected)'")
            }
            let claims = try await harness.count("claims"), events = try await harness.count("outbox")
            XCTAssertEqual(claims, 0, "nothing half-written")
            XCTAssertEqual(events, 0)
        }
    }

    func testMalformedAndMistypedJSONNameTheProblem() async throws {
        let harness = try IntakeHarness()
        try await harness.run { client, secret in
            let malformed = try await client.national(Data("{\"infno\": \"3102\", ".utf8), secret: secret)
            XCTAssertEqual(malformed.infcode, -1)
            XCTAssertTrue(malformed.errMsg.contains("body: is not valid JSON"), malformed.errMsg)

            let good = String(decoding: try HISJSON.encoder.encode(Fixture.request(2)), as: UTF8.self)
            let mistyped = good.replacingOccurrences(of: "\"cnt\":1", with: "\"cnt\":\"one\"")
            let answer = try await client.national(Data(mistyped.utf8), secret: secret)
            XCTAssertEqual(answer.infcode, -1)
            XCTAssertTrue(answer.errMsg.contains("fsi_order_dtos[0].cnt: has the wrong type (expected a number)"), answer.errMsg)

            // A new message (the same msgid would get the first answer again).
            let missing = good.replacingOccurrences(of: "\"medfee_sumamt\":37.6,", with: "")
                .replacingOccurrences(of: Fixture.msgid(2), with: Fixture.msgid(3))
            let missingAnswer = try await client.national(Data(missing.utf8), secret: secret)
            XCTAssertTrue(missingAnswer.errMsg.contains("medfee_sumamt: is required but missing"), missingAnswer.errMsg)
            let claims = try await harness.count("claims")
            XCTAssertEqual(claims, 0)
        }
    }

    func testOversizedBatchAndBodyAreRefused() async throws {
        let harness = try IntakeHarness(maxPatients: 3)
        try await harness.run { client, secret in
            let patients = (0..<4).map { _ in Fixture.patient() }
            let answer = try await client.national(Fixture.request(3, patients: patients), secret: secret)
            XCTAssertTrue(answer.errMsg.contains("has 4 patients; at most 3 per call"), answer.errMsg)
            let huge = Data(repeating: 32, count: 2_100_000)
            let tooLarge = try await client.national(huge, secret: secret)
            XCTAssertEqual(tooLarge.status, .contentTooLarge)
        }
    }
}
