import Foundation
import HummingbirdTesting
import TestSupport
import XCTest
@testable import smart_review

/// 区域看板: findings per pattern per month, items waiting per level and cases by state, for the
/// reviewer's region only; the console draws them as SVG and a sourced case is opened from its form.
final class WorkbenchDashboardTests: XCTestCase {
    func testTheDashboardCountsTheRegionsFindingsQueueAndCases() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            try await harness.flagClaims(2, prefix: "MD-DASH")
            let items = try await harness.itemIDs()
            try await decideBothLevels(items[0], first: Desk(client: client, user: "li", role: .firstReviewer),
                                       second: Desk(client: client, user: "wang", role: .secondReviewer))
            let zhao = Desk(client: client, user: "zhao", role: .supervisor)
            try await zhao.expect(.created, .post, "/api/workbench/cases", ["item_ids": [items[0]], "kind": "duplicateCharging"])
            let board = try await zhao.expect(.ok, .get, "/api/workbench/dashboard") as? [String: Any]
            XCTAssertEqual(board?["items_waiting"] as? [String: Int], ["first_pending": 1])
            XCTAssertEqual(board?["cases_by_state"] as? [String: Int], ["proposed": 1])
            let findings = board?["findings_per_month"] as? [[String: Any]] ?? []
            XCTAssertEqual(findings.map { $0["pattern"] as? String }, ["P04"])
            XCTAssertEqual(findings.first?["findings"] as? Int, 2, "one finding per flagged claim")
            let elsewhere = try await Desk(client: client, user: "zhu", role: .auditor, admdvs: "430200").expect(.ok, .get, "/api/workbench/dashboard") as? [String: Any]
            XCTAssertEqual(elsewhere?["cases_by_state"] as? [String: Int], [:], "another region's dashboard shows none of 430100")
            try await zhao.expect(.badRequest, .get, "/api/workbench/dashboard?months=99")
        }
    }

    func testTheConsoleDrawsTheDashboardAndOpensACaseFromAFlightInspection() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            try await client.account("zhao", role: "supervisor", password: "zhao-secret-1")
            let zhao = try await client.session("zhao", "zhao-secret-1")
            let casesPage = try await client.page("/console/cases", cookie: zhao.cookie)
            XCTAssertTrue(casesPage.contains("飞行检查") && casesPage.contains("中南大学湘雅医院"), "the form offers the sources and the region's institutions")
            let digest = String(repeating: "c3", count: 32)
            let form = "csrf=\(zhao.csrf.formEncoded)&source_kind=flightInspection&reference=\("飞检〔2026〕7号".formEncoded)&medins_id=H43010000001"
                + "&amount=5000&evidence_title=\("现场检查笔录".formEncoded)&evidence_sha256=\(digest)&kind=fabricatedServices"
            let opened = try await client.post("/console/cases/sourced", form: form, cookie: zhao.cookie)
            XCTAssertEqual(opened.status, .seeOther, String(buffer: opened.body))
            let location = try XCTUnwrap(opened.headers[.location])
            let casePage = try await client.page(location, cookie: zhao.cookie)
            XCTAssertTrue(casePage.contains("飞行检查") && casePage.contains(digest), "the case shows its source and evidence")
            let dashboard = try await client.page("/console/dashboard", cookie: zhao.cookie)
            for chart in ["findings-chart", "waiting-chart", "cases-chart"] { XCTAssertTrue(dashboard.contains("id=\"\(chart)\""), chart) }
            XCTAssertTrue(dashboard.contains("<title>拟作出 案件状态 Cases by state: 1</title>"), "the proposed case is a bar")
        }
    }

    func testStackedColumnsShareOneScaleAndKeepEachKeysColour() {
        let chart = ConsoleCharts.stacked(id: "c", caption: "x", [StackedColumn(label: "2026-11", parts: ["P01": 2, "P04": 2]),
                                                                  StackedColumn(label: "2026-12", parts: ["P04": 1])])
        let plot = ConsoleCharts.plot
        XCTAssertEqual(chart.bars.map(\.height), [plot.height / 2, plot.height / 2, plot.height / 4], "the tallest column fills the plot")
        XCTAssertEqual(chart.bars.map(\.colour), [ConsoleCharts.colour(0), ConsoleCharts.colour(1), ConsoleCharts.colour(1)], "P04 keeps its colour")
        XCTAssertEqual(chart.legend.map(\.text), ["P01", "P04"])
        XCTAssertEqual(chart.bars.last?.y, plot.top + plot.height - plot.height / 4, "bars stand on the axis")
        XCTAssertTrue(ConsoleCharts.bars(id: "e", caption: "x", [("a", 0)]).bars.isEmpty, "a zero draws no bar")
    }
}
