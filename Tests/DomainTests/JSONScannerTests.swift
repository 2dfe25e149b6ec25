@testable import Events
import Foundation
@testable import HISContract
import KnowledgeBase
import TrafficGenerator
import XCTest

/// The hot path's reader must read every record exactly as Foundation's `Codable` decoding does,
/// and leave to it (with its field-level errors) whatever it does not take.
final class JSONScannerTests: XCTestCase {
    private static let kb = try! KnowledgeBase.load(directory: URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("reference/kb"))

    /// Generated traffic of every kind: the scanner alone (no fallback) reads what Foundation reads.
    func testGeneratedRecordsReadAsFoundationReadsThem() throws {
        let traffic = TrafficGenerator(knowledgeBase: Self.kb, configuration: GeneratorConfiguration(seed: 11, count: 600, violationRate: 0.3)).generate()
        let encoder = HISJSON.encoder
        for settlement in traffic {
            let json = try encoder.encode(settlement.patient)
            let scanned = try JSONScanner.read(json) { try Patient(scanning: &$0) }
            let decoded = try HISJSON.decoder.decode(Patient.self, from: json)
            XCTAssertEqual(try encoder.encode(scanned), try encoder.encode(decoded))
            XCTAssertEqual(try encoder.encode(scanned), json)
        }
    }

    func testNationalCallsReadAsFoundationReadsThem() throws {
        let traffic = TrafficGenerator(knowledgeBase: Self.kb, configuration: GeneratorConfiguration(seed: 13, count: 40)).generate()
        var request = HISRequest(infno: "3102", msgid: "H1202501010000000001", fixmedinsCode: "H1", infTime: "2025-01-01 00:00:00",
                                 input: ReviewInput(data: ReviewRequest(trigScen: 6, ruleIds: ["P01"], taskId: "t", patientDtos: traffic.map(\.patient))))
        request.opterName = "张三"
        let json = try HISJSON.encoder.encode(request)
        // The strict scanner reads it, and says where each patient record lies in the call.
        let records = try XCTUnwrap(try HISRequest<ReviewInput>.scan(json: json).records)
        XCTAssertEqual(records.map { json[$0] }, try traffic.map { try HISJSON.encoder.encode($0.patient) })
        let decoded = try HISJSON.decoder.decode(HISRequest<ReviewInput>.self, from: json)
        XCTAssertEqual(try HISJSON.encoder.encode(try HISRequest<ReviewInput>.read(json: json)), try HISJSON.encoder.encode(decoded))
        let numericScenario = String(decoding: json, as: UTF8.self).replacingOccurrences(of: #""trig_scen":"6""#, with: #""trig_scen":6"#)
        XCTAssertEqual(try HISRequest<ReviewInput>.read(json: Data(numericScenario.utf8)).input.data.trigScen.value, 6)
    }

    /// intake's writer gives Foundation's bytes: generated traffic, and a record with every member
    /// present and every kind of character a string can hold.
    func testTheWriterWritesFoundationsBytes() throws {
        let traffic = TrafficGenerator(knowledgeBase: Self.kb, configuration: GeneratorConfiguration(seed: 14, count: 300, violationRate: 0.3)).generate()
        for settlement in traffic { XCTAssertEqual(settlement.patient.json, Array(try HISJSON.encoder.encode(settlement.patient))) }
        var diagnosis = Diagnosis(diseCodg: "J00", diseName: "急性鼻咽炎 \"a/b\" \\ \u{1}\u{1F}\t\n\r\u{8}\u{C}😀", maindiseFlag: "1", diseDate: "2025-01-01")
        (diagnosis.diseId, diagnosis.inoutDiseType, diagnosis.diasSrtNo) = ("D1", "1", FlexibleInt(2))
        var order = Order(rxId: "1", hilistCode: "X", hilistName: "药", hilistType: "101", cnt: Decimal(string: "-0.50")!, pric: Decimal(string: "1e3")!,
                          sumamt: Decimal(string: "123456789.123")!, feeOcurTime: "2025-01-01 08:00:00", drordDrCodg: "D", drugTracCodg: ["1", "2"])
        order.drugTracCodg?.append("3")
        var encounter = Encounter(mdtrtId: "M", setlId: "S", medinsId: "H", medMdtrtType: "2", admDate: "a", dscgDate: "b", dscgMainDiseCodg: "J00",
                                  drCodg: "D", medfeeSumamt: 10, fundPaySumamt: 5, psnCashPay: 5, fsiDiagnoseDtos: [diagnosis], fsiOrderDtos: [order, order])
        (encounter.medinsName, encounter.medinsAdmdvs, encounter.medinsType, encounter.medinsLv) = ("院", "430100", "1", "2")
        (encounter.medType, encounter.insutype, encounter.dscgMainDiseName) = ("11", "310", "炎")
        encounter.fsiOperationDtos = [Operation(oprnCode: "O", oprnName: "术", mainOprnFlag: "1", oprnDate: "2025-01-01")]
        let patient = Patient(patnId: "P", patnName: "张三", gend: "1", brdy: "1980-01-01", poolarea: "430100", currMdtrtId: "M", fsiEncounterDtos: [encounter])
        XCTAssertEqual(String(decoding: patient.json, as: UTF8.self), String(decoding: try HISJSON.encoder.encode(patient), as: UTF8.self))
    }

    /// The 3101/3102 answers too: with findings and their lines, without, and a refusal.
    func testAnswersAreWrittenAsFoundationWritesThem() throws {
        let detail = ReviewResultDetail(jrdId: "J1-1", patnId: "P/1", mdtrtId: "M1", rxId: nil, volaItemType: "101", volaAmt: Decimal(string: "12.50")!)
        var other = detail
        (other.rxId, other.volaItemType, other.volaAmt) = ("RX \"2\"", nil, Decimal(string: "-0.001")!)
        let finding = ReviewResult(jrId: "J1", ruleId: "R-P01-01", ruleName: "重复收费 a/b", volaCont: "同一项目重复收费\n两次\u{1}", patnId: "P/1", mdtrtId: "M1",
                                   volaAmt: Decimal(string: "123456789.125")!, volaAmtStas: "1", sevDeg: "2", volaEvid: "《条例》第三十八条 😀",
                                   volaBhvrType: "P01", taskId: nil, judgeResultDetailDtos: [detail, other])
        var tasked = finding
        (tasked.taskId, tasked.judgeResultDetailDtos, tasked.volaAmt) = ("T-9", [], 0)
        let answers = [
            HISResponse(infcode: 0, infRefmsgid: "H1202501010000000001", refmsgTime: "2025-01-01 08:00:00", respondTime: "2025-01-01 08:00:01",
                        errMsg: nil, output: ReviewOutput(result: [finding, tasked])),
            HISResponse(infcode: 0, infRefmsgid: "m", refmsgTime: "t", respondTime: "t", errMsg: nil, output: ReviewOutput(result: [])),
            HISResponse<ReviewOutput>(infcode: -1, infRefmsgid: "", refmsgTime: "t", respondTime: "t", errMsg: "msgid: is required; \"x\"", output: nil),
        ]
        for answer in answers {
            XCTAssertEqual(String(decoding: answer.json, as: UTF8.self), String(decoding: try HISJSON.encoder.encode(answer), as: UTF8.self))
        }
    }

    func testEscapesWhitespaceUnknownMembersAndNulls() throws {
        let json = #"""
         { "patn_id" : "P\"1\\\/\u4e2d\ud83d\ude00\n" , "gend":"1","brdy":"1980-01-01","patn_name":null,"extra":{"a":[1,-2.5e3,true,false,null,"x"]},
           "fsi_encounter_dtos":[{"mdtrt_id":"M1","medins_id":"H1","med_mdtrt_type":"1","adm_date":"2025-01-01 08:00:00",
             "dscg_date":"2025-01-01 09:00:00","medfee_sumamt":12.50,"fund_pay_sumamt":null,"psn_cash_pay":1e2,"fsi_operation_dtos":null,
             "fsi_diagnose_dtos":[{"dise_codg":"J00","dias_srt_no":"2"},{"dise_codg":"J01","dias_srt_no":3}],
             "fsi_order_dtos":[{"rx_id":"1","hilist_code":"X","hilist_type":"101","cnt":-0.5,"pric":0,"sumamt":0.10,
               "fee_ocur_time":"2025-01-01 08:30:00","drug_trac_codg":["12345678901234567890"]}]}] }
        """#
        let scanned = try JSONScanner.read(Data(json.utf8)) { try Patient(scanning: &$0) }
        let decoded = try HISJSON.decoder.decode(Patient.self, from: Data(json.utf8))
        XCTAssertEqual(scanned.patnId, "P\"1\\/中😀\n")
        XCTAssertEqual(scanned.fsiEncounterDtos[0].fsiDiagnoseDtos.map(\.diasSrtNo?.value), [2, 3])
        XCTAssertEqual(try HISJSON.encoder.encode(scanned), try HISJSON.encoder.encode(decoded))
        // Amounts keep the value and the spelling Foundation gives them.
        let order = scanned.fsiEncounterDtos[0].fsiOrderDtos[0], foundation = decoded.fsiEncounterDtos[0].fsiOrderDtos[0]
        XCTAssertEqual([order.cnt, order.sumamt, scanned.fsiEncounterDtos[0].medfeeSumamt].map(\.description),
                       [foundation.cnt, foundation.sumamt, decoded.fsiEncounterDtos[0].medfeeSumamt].map(\.description))
    }

    /// What the scanner refuses, Foundation decides: a wrong type or a missing member keeps its
    /// field-level error; an unusual but valid number is still read.
    func testWhatTheScannerRefusesFoundationDecides() throws {
        let base = try HISJSON.encoder.encode(Patient(patnId: "P1", gend: "1", brdy: "1980-01-01", fsiEncounterDtos: []))
        let text = String(decoding: base, as: UTF8.self)
        for variant in [text.replacingOccurrences(of: #""P1""#, with: "1"), text.replacingOccurrences(of: #""gend":"1","#, with: ""),
                        text + "x", "[" + text + "]", #"{"patn_id":"P1\x"}"#] {
            XCTAssertThrowsError(try JSONScanner.read(Data(variant.utf8)) { try Patient(scanning: &$0) }, variant)
            XCTAssertThrowsError(try Patient.read(json: Data(variant.utf8)), variant) { error in
                XCTAssertTrue(error is DecodingError, "\(variant): \(error)")
            }
        }
        // Nesting a hostile body deeply costs the reader no stack: it stops at its bound.
        let deep = #"{"extra":"# + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "," + text.dropFirst()
        XCTAssertThrowsError(try JSONScanner.read(Data(deep.utf8)) { try Patient(scanning: &$0) })
        XCTAssertThrowsError(try Patient.read(json: Data(deep.utf8)))
        let long = text.replacingOccurrences(of: #""patn_id":"P1""#, with: #""patn_id":"P1","x":123456789012345678901234567890"#)
        XCTAssertThrowsError(try JSONScanner.read(Data(long.utf8)) { try Patient(scanning: &$0) })
        XCTAssertEqual(try Patient.read(json: Data(long.utf8)).patnId, "P1")
    }

    func testClaimAcceptedReadsAsFoundationReadsIt() throws {
        let traffic = TrafficGenerator(knowledgeBase: Self.kb, configuration: GeneratorConfiguration(seed: 12, count: 50)).generate()
        for (n, settlement) in traffic.enumerated() {
            let record = Array(try HISJSON.encoder.encode(settlement.patient))
            let data = ClaimAccepted.json(claimId: "C\(n)", version: 1 + n % 2, supersedes: n % 2 == 1 ? "C\(n - 1)" : nil, msgid: "m\(n)",
                                              trigScen: 6, acceptedAt: Date(timeIntervalSince1970: 1_733_300_000.123 + Double(n)), patientJSON: record)
            let read = try ClaimAccepted.read(data)
            var range = 0..<0
            XCTAssertNoThrow(try JSONScanner.read(data) { try ClaimAccepted(scanning: &$0, record: &range) }, "the scanner reads what intake writes")
            XCTAssertEqual(Array(try ClaimAccepted.readWithRecord(data).record), record, "the record's bytes as intake wrote them")
            let foundation = try EventJSON.literalDecoder.decode(ClaimAccepted.self, from: Data(data))
            XCTAssertEqual([read.claimId, read.msgid, read.supersedes ?? "-"], [foundation.claimId, foundation.msgid, foundation.supersedes ?? "-"])
            XCTAssertEqual([read.version, read.trigScen], [foundation.version, foundation.trigScen])
            XCTAssertEqual(read.acceptedAt.timeIntervalSince1970, foundation.acceptedAt.timeIntervalSince1970, accuracy: 0.0005)
            XCTAssertEqual(try HISJSON.encoder.encode(read.patient), Data(record))
        }
    }

    func testEventTimesReadByArithmeticAgreeWithTheFormatStyle() {
        for seconds in stride(from: -2_000_000_000.0, to: 4_000_000_000, by: 86_399_937.731) {
            let date = Date(timeIntervalSince1970: (seconds * 1000).rounded() / 1000)
            let text = EventJSON.timestamp(date)
            XCTAssertNotNil(EventJSON.utcTimestamp(text), text)
            let formatStyle = try? Date(text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true))
            XCTAssertEqual(EventJSON.parseTimestamp(text)?.timeIntervalSince1970 ?? .nan, formatStyle?.timeIntervalSince1970 ?? 0, accuracy: 0.00001, text)
        }
        XCTAssertNil(EventJSON.utcTimestamp("2025-02-30T00:00:00.000Z"))
    }

    /// A time written, read back (from an event, from PostgreSQL's microseconds) and written again
    /// is the same text: events written twice must not differ by a millisecond.
    func testEventTimesWrittenAgainAreTheSameText() throws {
        XCTAssertEqual(EventJSON.timestamp(Date(timeIntervalSince1970: 0)), "1970-01-01T00:00:00.000Z")
        XCTAssertEqual(EventJSON.timestamp(Date(timeIntervalSince1970: 1_764_931_484.5274)), "2025-12-05T10:44:44.527Z")
        XCTAssertEqual(EventJSON.timestamp(Date(timeIntervalSince1970: 1_764_931_484.5276)), "2025-12-05T10:44:44.528Z")
        XCTAssertEqual(EventJSON.timestamp(Date(timeIntervalSince1970: -0.25)), "1969-12-31T23:59:59.750Z")
        for seconds in stride(from: -2_000_000_000.0, to: 4_000_000_000, by: 7_919_937.731) {
            let text = EventJSON.timestamp(Date(timeIntervalSince1970: seconds))
            let read = try XCTUnwrap(EventJSON.parseTimestamp(text), text)
            XCTAssertEqual(EventJSON.timestamp(read), text)
            let microseconds = Date(timeIntervalSince1970: (read.timeIntervalSince1970 * 1_000_000).rounded() / 1_000_000)
            XCTAssertEqual(EventJSON.timestamp(microseconds), text)
        }
    }
}
