import Foundation
import HISContract
@testable import SettlementValidation
import XCTest

/// The bounds are checked without reflection on the hot path: the hand list of each record's
/// string fields must name every string property the contract has, under its national name.
final class BoundedFieldsTests: XCTestCase {
    func testEveryStringPropertyOfEachRecordIsListedUnderItsNationalName() throws {
        let patient = try JSONDecoder().decode(Patient.self, from: Data(DataDictionaryTests.fullRecord.utf8))
        let encounter = try XCTUnwrap(patient.fsiEncounterDtos.first)
        let call = HISRequest(infno: "3102", msgid: "m", fixmedinsCode: "H1", input: ReviewInput(data: ReviewRequest(trigScen: 6, patientDtos: [patient])))
        let records: [(String, Any, [BoundedField])] = [
            ("Patient", patient, patient.boundedFields), ("Encounter", encounter, encounter.boundedFields),
            ("Diagnosis", encounter.fsiDiagnoseDtos[0], encounter.fsiDiagnoseDtos[0].boundedFields),
            ("Order", encounter.fsiOrderDtos[0], encounter.fsiOrderDtos[0].boundedFields),
            ("Operation", try XCTUnwrap(encounter.fsiOperationDtos?.first), try XCTUnwrap(encounter.fsiOperationDtos?.first).boundedFields),
            ("HISRequest", call, call.boundedFields), ("ReviewRequest", call.input.data, call.input.data.boundedFields),
        ]
        for (type, value, listed) in records {
            let strings = Mirror(reflecting: value).children.compactMap { child -> String? in
                switch child.value {
                case is String, is String?, is [String]?: child.label.map(snakeCase)
                default: nil
                }
            }
            XCTAssertEqual(Set(listed.map(\.name)), Set(strings), type)
            XCTAssertEqual(listed.count, strings.count, "\(type): each field once")
        }
    }
}
