@testable import CreditRules
import XCTest

final class GeneratorTests: XCTestCase {
    func testSplitMix64MatchesTheReferenceSequence() {
        var rng = SplitMix64(seed: 0)
        XCTAssertEqual(rng.next(), 0xE220_A839_7B1D_CDAF)
        XCTAssertEqual(rng.next(), 0x6E78_9E6A_A1B9_65F4)
        XCTAssertEqual(rng.next(), 0x06C4_5D18_8009_454F)
    }

    func testUnitAndIndexStayInRange() {
        var rng = SplitMix64(seed: 99)
        for _ in 0..<10_000 {
            let u = rng.nextUnit()
            XCTAssertTrue(u >= 0 && u < 1)
            XCTAssertTrue((0..<7).contains(rng.nextIndex(below: 7)))
        }
    }

    func testFingerprintIsSHA256Hex() {
        XCTAssertEqual(InspectionDraw.fingerprint(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(InspectionDraw.fingerprint("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(InspectionDraw.fingerprint("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(InspectionDraw.fingerprint(String(repeating: "a", count: 1000)),
                       "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}
