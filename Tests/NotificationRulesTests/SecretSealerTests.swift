import Foundation
import NotificationRules
import XCTest

final class SecretSealerTests: XCTestCase {
    let current = Data(repeating: 1, count: 32), old = Data(repeating: 2, count: 32)

    func testASealedSecretOpensOnlyWithItsKeyAndShowsNothingInClear() throws {
        let sealer = try SecretSealer(current: current)
        let sealed = try sealer.seal("whsec_c2VjcmV0")
        XCTAssertTrue(sealed.hasPrefix("aesgcm1:"))
        XCTAssertFalse(sealed.contains("c2VjcmV0"))
        XCTAssertNotEqual(try sealer.seal("whsec_c2VjcmV0"), sealed, "a fresh nonce each time")
        XCTAssertEqual(try sealer.open(sealed), "whsec_c2VjcmV0")
        XCTAssertFalse(sealer.needsResealing(sealed))
        let other = try SecretSealer(current: old)
        XCTAssertThrowsError(try other.open(sealed)) { XCTAssertEqual($0 as? SecretSealer.Failure, .unknownKey(sealer.currentID)) }
        var bytes = Array(sealed.utf8)
        bytes[bytes.count - 3] = bytes[bytes.count - 3] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        XCTAssertThrowsError(try sealer.open(String(decoding: bytes, as: UTF8.self))) { XCTAssertEqual($0 as? SecretSealer.Failure, .damaged) }
    }

    func testARotatedKeyStillOpensWhatTheOldOneSealedAndAsksForResealing() throws {
        let before = try SecretSealer(current: old)
        let sealedBefore = try before.seal("whsec_b2xk")
        let after = try SecretSealer(current: current, previous: [old])
        XCTAssertEqual(try after.open(sealedBefore), "whsec_b2xk")
        XCTAssertTrue(after.needsResealing(sealedBefore))
        XCTAssertTrue(after.needsResealing("whsec_c3RvcmVkIGluIGNsZWFy"), "a secret stored in clear before sealing began")
        XCTAssertEqual(try after.open("whsec_c3RvcmVkIGluIGNsZWFy"), "whsec_c3RvcmVkIGluIGNsZWFy")
    }

    func testAKeyOfTheWrongSizeIsRefused() {
        XCTAssertThrowsError(try SecretSealer(current: Data(repeating: 1, count: 16)))
    }
}
