import Foundation
import NotificationRules
import XCTest

#if canImport(FoundationXML)
import FoundationXML
#endif

final class PublicDisclosureTests: XCTestCase {
    private let info = AtomFeedInfo(id: "urn:medsup:feed:320100", title: "南京市医保基金监管 行政执法公示",
                                    updated: Date(timeIntervalSince1970: 1_740_801_600), authorName: "南京市医疗保障局",
                                    selfLink: "https://ybj.example.cn/feed.atom?region=320100&type=all",
                                    entryLinkPrefix: "https://ybj.example.cn/cases/")

    func testEnforcementResultIsAnonymised() throws {
        let entry = try XCTUnwrap(PublicDisclosure.anonymise(Fixtures.notice()))
        XCTAssertEqual(entry.id, "urn:medsup:disclosure:enforcementResult:C-2025-0001")
        XCTAssertEqual(entry.title, "行政执法结果公示：南京某某医院")
        XCTAssertEqual(entry.violations.map(\.nameZh), ["超标准收费", "追溯码重复使用"])
        XCTAssertEqual(entry.summary,
                       "经查，南京某某医院存在超标准收费、追溯码重复使用等问题，涉及医保基金125000.50元。"
                       + "医保部门依据《医疗保障基金使用监督管理条例》第三十八条，作出罚款、追回医保基金的处理。")
        let json = String(decoding: try JSONEncoder().encode(entry), as: UTF8.self)
        for secret in [Fixtures.insuredId, "张", "李四", "赵六", "2型糖尿病", "86901234567890123456"] {
            XCTAssertFalse(json.contains(secret), secret)
        }
    }

    func testTypicalCaseNamesPersonsOnlyAsSurnameMou() throws {
        let entry = try XCTUnwrap(PublicDisclosure.anonymise(Fixtures.notice(), as: .typicalCase))
        XCTAssertTrue(entry.summary.contains("（涉案人员：张某、王某）"), entry.summary)
        XCTAssertFalse(entry.summary.contains("李"), "officials are not exposed through the feed")
        XCTAssertFalse(entry.summary.contains("张三"))
    }

    func testOnlyCaseOutcomesAreDisclosedThisWay() {
        XCTAssertNil(PublicDisclosure.anonymise(Fixtures.notice(kind: .creditChange)))
    }

    func testAmountsAndIds() {
        XCTAssertEqual(PublicDisclosure.yuan(Decimal(string: "1234.5")!), "1234.50")
        XCTAssertEqual(PublicDisclosure.yuan(Decimal(string: "0.125")!), "0.13")
        XCTAssertEqual(PublicDisclosure.yuan(80), "80.00")
        XCTAssertEqual(PublicDisclosure.percentEncoded("案 1/&"), "%E6%A1%88%201%2F%26")
    }

    func testXMLEscaping() {
        XCTAssertEqual(XMLText.escape(#"<a href="x">'&'</a>"#), "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;")
        XCTAssertEqual(XMLText.escape("a\u{0}b\u{1B}c\td\ne\u{FFFE}"), "abc\td\ne")
        XCTAssertEqual(XMLText.escape("医保 ✓"), "医保 ✓")
    }

    func testAtomFeed() throws {
        var notice = Fixtures.notice(patterns: ["P04"], suspectedCrime: false)
        notice.institution.name = #"<某&某> "药房""#
        notice.caseId = "C/2025 02"
        let entry = try XCTUnwrap(PublicDisclosure.anonymise(notice))
        let xml = AtomFeed.render(info, entries: [entry])
        XCTAssertEqual(xml, """
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">
          <id>urn:medsup:feed:320100</id>
          <title type="text">南京市医保基金监管 行政执法公示</title>
          <updated>2025-03-01T04:00:00Z</updated>
          <author><name>南京市医疗保障局</name></author>
          <link rel="self" href="https://ybj.example.cn/feed.atom?region=320100&amp;type=all"/>
          <entry>
            <id>urn:medsup:disclosure:enforcementResult:C%2F2025%2002</id>
            <title type="text">行政执法结果公示：&lt;某&amp;某&gt; &quot;药房&quot;</title>
            <updated>2025-03-01T02:00:00Z</updated>
            <published>2025-03-01T02:00:00Z</published>
            <link rel="alternate" href="https://ybj.example.cn/cases/C%2F2025%2002"/>
            <category term="enforcementResult" label="行政执法结果公示"/>
            <category term="P04" label="重复收费"/>
            <summary type="text">经查，&lt;某&amp;某&gt; &quot;药房&quot;存在重复收费等问题，涉及医保基金125000.50元。医保部门依据《医疗保障基金使用监督管理条例》第三十八条，作出罚款、追回医保基金的处理。</summary>
          </entry>
        </feed>

        """)
        XCTAssertTrue(XMLParser(data: Data(xml.utf8)).parse(), "well-formed")
    }

    func testEmptyFeedIsWellFormed() {
        let xml = AtomFeed.render(AtomFeedInfo(id: "urn:x", title: "t", updated: Date(timeIntervalSince1970: 0), authorName: "a"),
                                  entries: [])
        XCTAssertTrue(xml.contains("<updated>1970-01-01T00:00:00Z</updated>"))
        XCTAssertTrue(XMLParser(data: Data(xml.utf8)).parse())
    }
}
