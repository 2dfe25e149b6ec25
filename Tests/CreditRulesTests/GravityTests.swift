import CreditRules
import Foundation
import XCTest

/// A violation's gravity is stored under its old key, so entries written before the word gravity still read.
final class GravityTests: XCTestCase {
    func testAViolationKeepsItsStoredForm() throws {
        let violation = Violation(caseId: "C-1", gravity: .serious, amount: 100)
        let json = String(decoding: try JSONEncoder().encode(violation), as: UTF8.self)
        XCTAssertTrue(json.contains(#""severity":3"#), json)
        let old = try JSONDecoder().decode(Violation.self, from: Data(#"{"caseId":"C-2","severity":4,"amount":5,"summary":""}"#.utf8))
        XCTAssertEqual(old.gravity, .fraud)
    }

    func testTheTableIsIndexedByGravity() {
        let table = GravityTable(minor: 1, general: 2, serious: 3, fraud: 4)
        XCTAssertEqual(Gravity.allCases.map { table[$0] }, [1, 2, 3, 4])
    }
}
