import CreditRules
import XCTest

final class PointBandTests: XCTestCase {
    func testBandsCoverOneToTwelveWithoutGaps() {
        XCTAssertEqual(PointBand.allCases.flatMap { Array($0.points) }, Array(1...12))
    }

    func testAgreementHandlingWithoutFineIsOneToThree() {
        XCTAssertEqual(PointBand.band(for: CaseHandling(article: nil, fined: false)), .agreementHandling)
        // Art. 38 handled leniently (责令改正, no fine) stays in the lowest band.
        XCTAssertEqual(PointBand.band(for: CaseHandling(article: .article38, fined: false, weight: .heavier)), .agreementHandling)
        XCTAssertEqual(PointBand.points(for: CaseHandling(article: nil, fined: false, weight: .lighter)), 1)
        XCTAssertEqual(PointBand.points(for: CaseHandling(article: nil, fined: false, weight: .heavier)), 3)
    }

    func testArticle38And39FinesAreFourToSix() {
        for article in [Order735Article.article38, .article39] {
            XCTAssertEqual(PointBand.band(for: CaseHandling(article: article, fined: true)), .fined)
        }
        XCTAssertEqual(PointBand.points(for: CaseHandling(article: .article38, fined: true, weight: .lighter)), 4)
        XCTAssertEqual(PointBand.points(for: CaseHandling(article: .article39, fined: true)), 5)
        XCTAssertEqual(PointBand.points(for: CaseHandling(article: .article38, fined: true, weight: .heavier)), 6)
    }

    func testAggravatedFineIsSevenToNine() {
        let handling = CaseHandling(article: .article38, fined: true, aggravated: true, weight: .lighter)
        XCTAssertEqual(PointBand.band(for: handling), .aggravated)
        XCTAssertEqual(PointBand.points(for: handling), 7)
    }

    func testFraudIsTenToTwelveWhateverTheArticle() {
        XCTAssertEqual(PointBand.points(for: CaseHandling(article: .article40, fined: true, weight: .lighter)), 10)
        XCTAssertEqual(PointBand.points(for: CaseHandling(article: .article38, fined: true, fraud: true)), 11)
        XCTAssertEqual(PointBand.points(for: CaseHandling(article: nil, fined: false, fraud: true, weight: .heavier)), 12)
    }

    func testDeductionFromHandlingCarriesBandAndPoints() {
        let deduction = PointDeduction(id: "X", decidedOn: day("2025-03-01"), caseId: "C1",
                                       handling: CaseHandling(article: .article39, fined: true, weight: .heavier))
        XCTAssertEqual(deduction.points, 6)
        XCTAssertEqual(deduction.band, .fined)
    }
}
