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
        let records: [(String, Any, [String])] = [
            ("Patient", patient, Patient.fieldBounds.map(\.name)), ("Encounter", encounter, Encounter.fieldBounds.map(\.name)),
            ("Diagnosis", encounter.fsiDiagnoseDtos[0], Diagnosis.fieldBounds.map(\.name)),
            ("Order", encounter.fsiOrderDtos[0], Order.fieldBounds.map(\.name)),
            ("Operation", try XCTUnwrap(encounter.fsiOperationDtos?.first), Operation.fieldBounds.map(\.name)),
            ("HISRequest", call, HISRequest<ReviewInput>.fieldBounds.map(\.name)), ("ReviewRequest", call.input.data, ReviewRequest.fieldBounds.map(\.name)),
        ]
        for (type, value, listed) in records {
            let strings = Mirror(reflecting: value).children.compactMap { child -> String? in
                switch child.value {
                case is String, is String?, is [String]?: child.label.map(snakeCase)
                default: nil
                }
            }
            XCTAssertEqual(Set(listed), Set(strings), type)
            XCTAssertEqual(listed.count, strings.count, "\(type): each field once")
        }
    }
}
