import Determinism
import Foundation
import HISContract
@testable import SettlementValidation
import XCTest

/// The short cuts of a settlement's checks decide as the long ways do: the lines' sum in 64-bit
/// fixed point, repeated ids by comparison, an event's size bound from the bytes received.
final class LineArithmeticTests: XCTestCase {
    func testAmountsAreReadExactlyOrNotAtAll() {
        let cases: [(String, Int64?)] = [
            ("37.02", 370_200), ("-12.5", -125_000), ("0", 0), ("0.0001", 1), ("12.50", 125_000), ("123456.78", 1_234_567_800),
            ("0.00001", nil), ("1e30", nil), ("99999999999999.9999", 999_999_999_999_999_999), ("-0.005", -50),
        ]
        for (text, expected) in cases { XCTAssertEqual(ExactAmount.units(Decimal(string: text)!), expected, text) }
        XCTAssertNil(ExactAmount.units(.nan))
    }

    /// Random lines of 0-20 amounts with 0-4 places, either sign, some of them sums and some off by a
    /// fen or by a ten-thousandth: the fixed-point answer is the `Decimal` one whenever it gives one.
    func testTheLinesSumAgreesWithDecimalArithmetic() {
        var random = SplitMix64(seed: 13)
        var decided = 0
        for _ in 0..<5_000 {
            let amounts = (0..<random.nextIndex(below: 21)).map { _ -> Decimal in
                let places = random.nextIndex(below: 5)
                let magnitude = Decimal(random.nextIndex(below: 10_000_000)) / pow(10, places)
                return random.nextIndex(below: 6) == 0 ? -magnitude : magnitude
            }
            let sum = amounts.reduce(Decimal(0), +)
            let total = [sum, sum + Decimal(string: "0.01")!, sum - Decimal(string: "0.0001")!, Decimal(string: "1e-6")! + sum][random.nextIndex(below: 4)]
            let exact = ExactAmount.addUp(amounts, to: total)
            if let exact { decided += 1; XCTAssertEqual(exact, sum == total, "\(amounts) → \(total)") }
        }
        XCTAssertGreaterThan(decided, 3_500, "most totals are decided without Decimal arithmetic")
        XCTAssertNil(ExactAmount.addUp([Decimal(string: "900000000000000")!, Decimal(string: "900000000000000")!], to: 0), "overflow falls back")
    }

    func testRepeatedValuesAreFoundAtTheirPositionsShortAndLong() {
        XCTAssertEqual(Duplicates.positions(in: []), [])
        XCTAssertEqual(Duplicates.positions(in: ["a"]), [])
        XCTAssertEqual(Duplicates.positions(in: ["a", "b", "a", "a", "c", "b"]), [2, 3, 5])
        var random = SplitMix64(seed: 7)
        for count in [Duplicates.compareUpTo, Duplicates.compareUpTo + 1, 40] {
            let values = (0..<count).map { _ in "rx\(random.nextIndex(below: count))" }
            var seen = Set<String>()
            let expected = values.indices.filter { !seen.insert(values[$0]).inserted }
            XCTAssertEqual(Duplicates.positions(in: values), expected, "\(count) values")
        }
    }

    /// The bound from the bytes received is never below the one walked over every string, for
    /// records with escapes (which shorten a string), non-ASCII text and traceability codes.
    func testTheBoundFromTheBytesReceivedIsNeverBelowTheWalkedOne() throws {
        let escaped = DataDictionaryTests.fullRecord
            .replacingOccurrences(of: "\"patn_name\":\"张三\"", with: "\"patn_name\":\"\\u5f20\\u4e09\\/\\\"\"")
            .replacingOccurrences(of: "\"drug_trac_codg\":[]", with: "\"drug_trac_codg\":[\"81000000000000000001\",\"\\u0038\"]")
        for text in [DataDictionaryTests.fullRecord, escaped] {
            let bytes = Array(text.utf8)
            let patient = try Patient.read(json: bytes)
            let encounter = try XCTUnwrap(patient.fsiEncounterDtos.first)
            XCTAssertGreaterThanOrEqual(EventSize.upperBound(patient, encounter, receivedBytes: bytes.count), EventSize.upperBound(patient, encounter))
        }
    }

    /// With or without the size received, a record too large for the broker is refused alike
    /// (the short bound does not settle it, so the walk and the encoding decide).
    func testAnEventTooLargeIsRefusedWhateverTheSizeReceived() throws {
        let bytes = Array(DataDictionaryTests.fullRecord.utf8)
        let patient = try Patient.read(json: bytes)
        let registry = DataDictionaryTests.Everyone()
        var small = SettlementValidator(registry: registry, institution: "H43010000001",
                                        now: CivilDateTime(date: CivilDate(dayNumber: 20_600), secondOfDay: 0))
        small.maxEventBytes = EventSize.envelopeAllowance + 600
        let walked = small.validate(patient, path: "p", settling: true)
        XCTAssertEqual(walked.count, 1, "\(walked)")
        XCTAssertEqual(small.validate(patient, path: "p", settling: true, receivedBytes: bytes.count), walked)
        small.maxEventBytes = SettlementValidator.defaultMaxEventBytes
        XCTAssertEqual(small.validate(patient, path: "p", settling: true, receivedBytes: bytes.count), [])
    }
}
