import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import XCTest
@testable import smart_review

/// The case page shows the parties with their conduct, takes the circumstances, and speaks Chinese.
final class ConsoleCasePartiesTests: XCTestCase {
    func testTheCasePageShowsThePartiesAndRecordsTheCircumstances() async throws {
        let harness = try ReviewHarness()
        try await harness.run { client in
            let items = try await confirmedItems(harness, client, doctors: [Fixture.doctor])
            let named: [[String: Any]] = [["id": Fixture.institution, "kind": "institution", "role": "offender", "conduct": ["duplicateCharging"]],
                                          ["id": Fixture.doctor, "kind": "practitioner", "role": "responsible", "conduct": ["duplicateCharging"]]]
            let opened = try await Desk(client: client, user: "zhao", role: .supervisor)
                .expect(.created, .post, "/api/workbench/cases", ["item_ids": items, "kind": "duplicateCharging", "parties": named]) as? [String: Any]
            let caseID = try XCTUnwrap(opened?["case_id"] as? String)
            try await client.account("zhao", role: "supervisor", password: "zhao-secret-1")
            let zhao = try await client.session("zhao", "zhao-secret-1")
            let page = try await client.page("/console/cases/\(caseID)", cookie: zhao.cookie)
            XCTAssertTrue(page.contains(">违法主体<") && page.contains(">相关责任人员<") && page.contains(Fixture.doctor), "the parties are shown")
            XCTAssertTrue(page.contains(">重复收费<"), "with their conduct in the regulation's words")
            XCTAssertTrue(page.contains(">拟作出<"), "the case's state reads in Chinese")
            let recorded = try await client.post("/console/cases/\(caseID)/circumstances", cookie: zhao.cookie,
                                                 form: "csrf=\(zhao.csrf)&officials=yes&institution_notice=interview")
            XCTAssertEqual(recorded.status, .seeOther)
            let after = try await client.page("/console/cases/\(caseID)", cookie: zhao.cookie)
            XCTAssertTrue(after.contains("涉及公职人员 Officials: 是") && after.contains("机构告知 Notice: 约谈"), "the circumstances are recorded")
        }
    }
}
