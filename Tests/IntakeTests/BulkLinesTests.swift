import Foundation
import XCTest
@testable import intake

/// How a backfill's body is cut into lines: numbered as an editor numbers them (a report names the
/// line by that number), CRLF files read as LF files, a last line without its newline kept.
final class BulkLinesTests: XCTestCase {
    private func lines(_ text: String) -> [String] {
        BulkIntake.lines(of: Data(text.utf8)).map { String(decoding: $0, as: UTF8.self) }
    }

    func testLinesAreCutAtEachNewlineAndTheLastNeedsNone() {
        XCTAssertEqual(lines(""), [])
        XCTAssertEqual(lines("a"), ["a"])
        XCTAssertEqual(lines("a\n"), ["a"])
        XCTAssertEqual(lines("a\nbc\ndef"), ["a", "bc", "def"])
    }

    func testEmptyLinesKeepTheirPlaceSoTheNumbersAreAnEditors() {
        XCTAssertEqual(lines("\n\na\n\nb\n"), ["", "", "a", "", "b"])
        XCTAssertEqual(lines("\n"), [""])
    }

    func testACarriageReturnBeforeTheNewlineIsLeftOutAndNowhereElse() {
        XCTAssertEqual(lines("a\r\nb\r\n"), ["a", "b"])
        XCTAssertEqual(lines("a\r\n\r\nb"), ["a", "", "b"])
        XCTAssertEqual(lines("a\rb\n\r"), ["a\rb", ""])
        XCTAssertEqual(lines("\r\n"), [""])
    }

    /// Lines of a record's size, as a backfill carries them: each slice is the line's bytes exactly.
    func testLongLinesComeBackWhole() {
        let records = (0..<50).map { n in String(repeating: "x", count: 3_000 + n) + "\u{4E2D}\(n)" }
        XCTAssertEqual(lines(records.joined(separator: "\n") + "\n"), records)
        XCTAssertEqual(lines(records.joined(separator: "\r\n")), records)
    }
}
