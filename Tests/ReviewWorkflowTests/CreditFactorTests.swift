import Foundation
import ReviewWorkflow
import XCTest

final class CreditFactorTests: XCTestCase {
    func testEachGradeWeighsOnTheFineAndAnUnknownGradeWeighsNothing() {
        XCTAssertEqual(CreditFactor.forGrade("A"), Decimal(string: "0.9"))
        XCTAssertEqual(CreditFactor.forGrade("D"), Decimal(string: "1.2"))
        XCTAssertEqual(CreditFactor.forGrade(nil), 1)
        XCTAssertEqual(CreditFactor.forGrade("Z"), 1)
    }

    /// A general art. 38 case sits mid-range (1.5x); grade D raises it to 1.8x, grade A lowers it to 1.35x (1.4 at one decimal),
    /// and a serious case at the 2x ceiling stays there whatever the grade.
    func testTheGradeScalesTheFineInsideTheArticlesRange() throws {
        func multiple(_ grade: String, _ seriousness: Seriousness = .general) throws -> Decimal? {
            try PenaltyDiscretion().propose(ViolationCase(kind: .duplicateCharging, amount: 10_000, seriousness: seriousness,
                                                          creditFactor: CreditFactor.forGrade(grade))).fineMultiple
        }
        XCTAssertEqual(try multiple("D"), Decimal(string: "1.8"))
        XCTAssertEqual(try multiple("A"), Decimal(string: "1.4"), "1.35, to the policy's one decimal")
        XCTAssertEqual(try multiple("D", .serious), 2)
    }
}
