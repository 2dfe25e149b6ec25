import Foundation
import KnowledgeBase
import XCTest

/// The CSV reader and the knowledge-base loader.
final class KnowledgeBaseTests: XCTestCase {
    func testParserHandlesQuotesCommasEmptyFieldsAndCRLF() throws {
        let text = "a,b,c\r\n1,\"x, y\",\r\n\"he said \"\"hi\"\"\",,3\n\"multi\nline\",2,\n"
        let table = try CSVParser.parse(text, file: "t.csv")
        XCTAssertEqual(table.header, ["a", "b", "c"])
        XCTAssertEqual(table.rows.map(\.fields), [["1", "x, y", ""], ["he said \"hi\"", "", "3"], ["multi\nline", "2", ""]])
        XCTAssertEqual(table.rows.map(\.line), [2, 3, 4])
    }

    func testParserErrorsNameFileLineAndColumn() {
        XCTAssertThrowsError(try CSVParser.parse("a,b\n1,2\n3\n", file: "t.csv")) { error in
            XCTAssertEqual(error as? KnowledgeBaseError, .malformed(file: "t.csv", line: 3, column: 2, reason: "expected 2 fields, found 1"))
        }
        XCTAssertThrowsError(try CSVParser.parse("a,b\n1,\"open\n", file: "t.csv"))
        XCTAssertThrowsError(try CSVParser.parse("a,b\n1,x\"y\n", file: "t.csv"))
    }

    func testLoadsReferenceKnowledgeBase() throws {
        let kb = Fixture.kb
        XCTAssertEqual(kb.drugs.count, 32)
        XCTAssertEqual(kb.services.count, 35)
        XCTAssertEqual(kb.persons.count, 6000)
        XCTAssertEqual(kb.drugs["XC10AA05A00601013640655"]?.packsPerDay, Decimal(string: "0.15"))
        XCTAssertEqual(kb.drugs["XJ01CA04A00101010140000"]?.rxOnly, true)
        XCTAssertEqual(kb.drugs["XN02BE01A00901015741048"]?.rxOnly, false)
        XCTAssertEqual(kb.drugs.values.filter(\.rxOnly).count, 27)
        XCTAssertEqual(kb.services["250305000"]?.packageOf, ["250305001", "250305002", "250305003"])
        XCTAssertEqual(kb.diagnosisEntry(for: "N97.9")?.code, "N97.9")
        XCTAssertEqual(kb.diagnosisEntry(for: "G20.x01")?.code, "G20")
        XCTAssertNil(kb.diagnosisEntry(for: "Z99"))
        XCTAssertTrue(kb.version.hasPrefix("kb-"))
        XCTAssertEqual(kb.version.count, 19)
    }

    func testMalformedRowNamesFileLineColumnAndFingerprintTracksContent() throws {
        var files: [String: String] = [:]
        for name in KnowledgeBase.requiredFiles {
            files[name] = try String(contentsOf: Fixture.kbDirectory.appendingPathComponent(name), encoding: .utf8)
        }
        let kb = try KnowledgeBase(files: files)
        XCTAssertEqual(try KnowledgeBase(files: files).version, kb.version)
        var changed = files
        changed["drugs.csv"] = files["drugs.csv"]!.replacingOccurrences(of: ",12.80,", with: ",12.90,")
        XCTAssertNotEqual(try KnowledgeBase(files: changed).version, kb.version)
        var broken = files
        broken["drugs.csv"] = files["drugs.csv"]!.replacingOccurrences(of: ",12.80,", with: ",12.8x,")
        XCTAssertThrowsError(try KnowledgeBase(files: broken)) { error in
            XCTAssertEqual(error as? KnowledgeBaseError, .malformed(file: "drugs.csv", line: 2, column: 7, reason: "price_cap: '12.8x' is not a decimal number"))
        }
        broken = files
        broken["drugs.csv"] = files["drugs.csv"]!.replacingOccurrences(of: ",8100000,1", with: ",8100000,2")
        XCTAssertThrowsError(try KnowledgeBase(files: broken)) { error in
            XCTAssertEqual(error as? KnowledgeBaseError, .malformed(file: "drugs.csv", line: 2, column: 18, reason: "rx_only: '2' is not 0 or 1"))
        }
        broken = files
        broken["regions.csv"] = nil
        XCTAssertThrowsError(try KnowledgeBase(files: broken)) { XCTAssertEqual($0 as? KnowledgeBaseError, .missingFile("regions.csv")) }
    }
}
