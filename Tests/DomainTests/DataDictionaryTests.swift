import Foundation
import HISContract
@testable import SettlementValidation
import XCTest

/// The bounds of the national payloads: one table, applied to every string field, and the same
/// numbers in intake's OpenAPI document.
final class DataDictionaryTests: XCTestCase {
    struct Everyone: Registry {
        func institutionExists(_ code: String) -> Bool { true }
        func practitionerExists(_ code: String) -> Bool { true }
        func personExists(_ psnNo: String) -> Bool { true }
        func catalogueKnows(_ code: String, type: String) -> Bool { true }
    }

    let validator = SettlementValidator(registry: Everyone(), institution: "H43010000001",
                                        now: CivilDateTime(date: CivilDate(dayNumber: 20_600), secondOfDay: 0))

    /// Every field of the contract, each string set, as a HIS would send it.
    static let fullRecord = """
        {"patn_id":"43010000000000000001","patn_name":"张三","gend":"1","brdy":"1961-06-16","poolarea":"430100","curr_mdtrt_id":"MD1",
         "fsi_encounter_dtos":[{"mdtrt_id":"MD1","setl_id":"S1","medins_id":"H43010000001","medins_name":"医院","medins_admdvs":"430100",
          "medins_type":"A","medins_lv":"3","med_mdtrt_type":"1","med_type":"11","insutype":"310","adm_date":"2026-01-01 09:00:00",
          "dscg_date":"2026-01-01 09:20:00","dscg_main_dise_codg":"J06.9","dscg_main_dise_name":"上呼吸道感染","dr_codg":"D1",
          "medfee_sumamt":12,"fund_pay_sumamt":8,"psn_cash_pay":4,
          "fsi_diagnose_dtos":[{"dise_id":"1","inout_dise_type":"1","maindise_flag":"1","dias_srt_no":1,"dise_codg":"J06.9","dise_name":"上感","dise_date":"2026-01-01 09:00:00"}],
          "fsi_order_dtos":[{"rx_id":"1","hilist_code":"110200001","hilist_name":"诊查费","hilist_type":"201","cnt":1,"pric":12,"sumamt":12,
           "fee_ocur_time":"2026-01-01 09:05:00","drord_dr_codg":"D1","drug_trac_codg":[]}],
          "fsi_operation_dtos":[{"oprn_code":"1","oprn_name":"手术","main_oprn_flag":"1","oprn_date":"2026-01-01 09:10:00"}]}]}
        """

    func patient(_ edit: (inout [String: Any]) -> Void = { _ in }) throws -> Patient {
        var json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(Self.fullRecord.utf8)) as? [String: Any])
        edit(&json)
        return try HISJSON.decoder.decode(Patient.self, from: JSONSerialization.data(withJSONObject: json))
    }

    func testEveryStringFieldHasABound() throws {
        let issues = validator.validate(try patient(), path: "p", settling: true)
        XCTAssertFalse(issues.contains { $0.message.contains("no bound") }, "\(issues)")
        var request = HISRequest(infno: "3102", msgid: "H4301000000120260101093000" + "0001", fixmedinsCode: "H43010000001",
                                 fixmedinsName: "医院", infTime: "2026-01-01 09:30:00",
                                 input: ReviewInput(data: ReviewRequest(trigScen: 6, ruleIds: ["R1"], taskId: "T1", patientDtos: [try patient()])))
        (request.insuplcAdmdvs, request.mdtrtareaAdmvs, request.opterType, request.opter, request.opterName) = ("430100", "430100", "1", "o", "操作员")
        XCTAssertFalse(validator.validate(request).contains { $0.message.contains("no bound") }, "\(validator.validate(request))")
    }

    func testTheEnvelopesFieldsAreBoundedUnderTheirPaths() throws {
        var request = HISRequest(infno: "3102", msgid: "H4301000000120260101093000" + "0001", fixmedinsCode: "H43010000001",
                                 input: ReviewInput(data: ReviewRequest(trigScen: 6, ruleIds: ["R1", String(repeating: "R", count: 5_000)],
                                                                        taskId: String(repeating: "T", count: 5_000), patientDtos: [try patient()])))
        request.opterName = String(repeating: "张", count: 5_000)
        let issues = validator.validate(request).map(\.path)
        XCTAssertEqual(issues, ["opter_name", "input.data.rule_ids[1]", "input.data.task_id"])
    }

    func testAMegabyteNameIsRefusedNamingTheFieldAndItsBoundAlone() throws {
        let long = try patient { $0["patn_name"] = String(repeating: "张", count: 350_000) }
        let issues = validator.validate(long, path: "input.data.patient_dtos[0]", settling: true)
        XCTAssertEqual(issues.map(\.description), ["input.data.patient_dtos[0].patn_name: is 350000 characters long; at most 50 allowed"])
        XCTAssertEqual(validator.validate(try patient { $0["patn_name"] = String(repeating: "张", count: 50) }, path: "p", settling: true), [])
    }

    func testNestedFieldsListsAndListElementsAreBounded() throws {
        let record = try patient { json in
            var encounters = json["fsi_encounter_dtos"] as! [[String: Any]]
            var lines = encounters[0]["fsi_order_dtos"] as! [[String: Any]]
            lines[0]["hilist_name"] = String(repeating: "药", count: 201)
            lines[0]["drug_trac_codg"] = [String(repeating: "8", count: 21)]
            encounters[0]["fsi_order_dtos"] = lines
            encounters[0]["fsi_diagnose_dtos"] = Array(repeating: (encounters[0]["fsi_diagnose_dtos"] as! [Any])[0], count: 51)
            json["fsi_encounter_dtos"] = encounters
        }
        let issues = validator.validate(record, path: "line 3", settling: true).map(\.description)
        XCTAssertTrue(issues.contains("line 3.fsi_encounter_dtos[0].fsi_order_dtos[0].hilist_name: is 201 characters long; at most 200 allowed"), "\(issues)")
        XCTAssertTrue(issues.contains("line 3.fsi_encounter_dtos[0].fsi_order_dtos[0].drug_trac_codg[0]: is 21 characters long; at most 20 allowed"), "\(issues)")
        XCTAssertTrue(issues.contains("line 3.fsi_encounter_dtos[0].fsi_diagnose_dtos: has 51 elements; at most 50 allowed"), "\(issues)")
    }

    func testASettlementWhoseEventWouldNotFitTheBrokerIsRefused() throws {
        var small = validator
        small.maxEventBytes = 8_000
        let lines = (1...40).map { n -> [String: Any] in
            ["rx_id": "\(n)", "hilist_code": "110200001", "hilist_name": String(repeating: "诊", count: 60), "hilist_type": "201",
             "cnt": 1, "pric": 12, "sumamt": 12, "fee_ocur_time": "2026-01-01 09:05:00"]
        }
        let record = try patient { json in
            var encounters = json["fsi_encounter_dtos"] as! [[String: Any]]
            encounters[0]["fsi_order_dtos"] = lines
            encounters[0]["medfee_sumamt"] = 480
            json["fsi_encounter_dtos"] = encounters
        }
        let refused = small.validate(record, path: "p", settling: true).map(\.description)
        XCTAssertEqual(refused.count, 1, "\(refused)")
        XCTAssertTrue(refused[0].hasPrefix("p.fsi_encounter_dtos[0]: its claims.accepted event would be about"), refused[0])
        XCTAssertTrue(refused[0].contains("message.max.bytes 8000"), refused[0])
        XCTAssertEqual(validator.validate(record, path: "p", settling: true), [], "fits the default 1,000,000 bytes")
        XCTAssertEqual(small.validate(record, path: "p", settling: false), [], "a check (3101) makes no event")
    }

    /// A record is carried as received when no larger than its known fields could encode to; the
    /// short cut through the keys and numbers alone decides as the whole bound does.
    func testARecordIsCarriedAsReceivedOnlyWithinItsBound() throws {
        let record = try patient(), encounter = record.fsiEncounterDtos[0]
        let floor = EventSize.keysAndNumbers(record, encounter), bound = EventSize.upperBound(record, encounter)
        XCTAssertLessThan(floor, bound)
        for size in [Self.fullRecord.utf8.count, floor, floor + 1, bound] { XCTAssertTrue(validator.carriesAsReceived(size, record), "\(size)") }
        XCTAssertFalse(validator.carriesAsReceived(bound + 1, record), "larger than its fields could be: written anew")
        var small = validator
        small.maxEventBytes = floor
        XCTAssertFalse(small.carriesAsReceived(floor - EventSize.envelopeAllowance + 1, record), "its event would not fit")
        var two = record
        two.fsiEncounterDtos.append(encounter)
        XCTAssertFalse(validator.carriesAsReceived(10, two), "a record of two encounters is split, never carried")
    }

    /// intake's OpenAPI document states each bound as the table has it.
    func testOpenAPIDocumentStatesTheTablesBounds() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Services/intake/Resources/intake.yaml")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        func bound(_ line: String, _ keyword: String) -> Int? {
            guard let range = line.range(of: "\(keyword): ") else { return nil }
            return Int(line[range.upperBound...].prefix { $0.isNumber })
        }
        for (field, limit) in DataDictionary.maxLength {
            let stated = lines.filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("\(field):") }.compactMap { bound($0, "maxLength") }
            XCTAssertFalse(stated.isEmpty, "\(field) has no maxLength in intake.yaml")
            XCTAssertTrue(stated.allSatisfy { $0 == limit }, "\(field): intake.yaml says \(stated), the table \(limit)")
        }
        for (list, limit) in DataDictionary.maxCount where list != "encounters_per_call" {
            guard let index = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("\(list):") }) else {
                return XCTFail("\(list) is not in intake.yaml")
            }
            let stated = bound(lines[index], "maxItems") ?? bound(lines[index + 2], "maxItems")
            XCTAssertEqual(stated, limit, list)
        }
    }
}
