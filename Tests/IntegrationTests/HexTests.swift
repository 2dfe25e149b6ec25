import Foundation
import ServiceKit
import XCTest

/// Every byte spelled as `String(format: "%02x")` spelled it, so stored credential hashes still match.
final class HexTests: XCTestCase {
    func testHexIsTwoLowerCaseDigitsAByteAsTheFormatterWroteThem() {
        let bytes: [UInt8] = [0x00, 0x0F, 0x10, 0xA5, 0xFF]
        XCTAssertEqual(bytes.hexString, "000f10a5ff")
        let bytes256 = (0...255).map(UInt8.init)
        XCTAssertEqual(bytes256.hexString, bytes256.map { String(format: "%02x", $0) }.joined())
        XCTAssertEqual([UInt8]().hexString, "")
    }
}
