import Foundation
import HISContract
import Hummingbird
import HummingbirdTesting
import OperatorAccess
import TestSupport
import PostgresNIO
import XCTest
@testable import intake

final class AccessTests: XCTestCase {
    func testCallsWithoutAValidCredentialAreRefused() async throws {
        let harness = try IntakeHarness()
        try await harness.run { client, secret in
            let body = ByteBuffer(data: try HISJSON.encoder.encode(Fixture.request(1)))
            try await client.execute(uri: "/api/his", method: .post, body: body) { XCTAssertEqual($0.status, .unauthorized) }
            try await client.execute(uri: "/api/his", method: .post, headers: [.authorization: "Bearer \(Fixture.institution):wrong"], body: body) {
                XCTAssertEqual($0.status, .unauthorized)
            }
            // A valid credential of one institution cannot push for another.
            var other = Fixture.request(2)
            other.fixmedinsCode = "H43010000002"
            other.msgid = "H43010000002" + "20261120093000" + "0001"
            let answer = try await client.national(other, secret: secret)
            XCTAssertTrue(answer.errMsg.contains("fixmedins_code: 'H43010000002' is not the institution of this credential"), answer.errMsg)
            let claims = try await harness.count("claims")
            XCTAssertEqual(claims, 0)
        }
    }

    func testRateLimitPerInstitution() async throws {
        let harness = try IntakeHarness(ratePerSecond: 2)
        try await harness.run { client, secret in
            var statuses: [HTTPResponse.Status] = []
            for n in 0..<8 { statuses.append(try await client.national(Fixture.request(n), secret: secret).status) }
            XCTAssertTrue(statuses.contains(.tooManyRequests), "\(statuses)")
        }
    }

    func testBulkKeepsGoodLinesReportsBadOnesAndIsIdempotent() async throws {
        let harness = try IntakeHarness()
        try await harness.run { client, secret in
            var bad = Fixture.encounter()
            bad.medfeeSumamt = 1
            let lines = try [Fixture.patient(), Fixture.patient([bad]), Fixture.patient()]
                .map { String(decoding: try HISJSON.encoder.encode($0), as: UTF8.self) } + ["{not json"]
            let body = ByteBuffer(string: lines.joined(separator: "\n"))
            let headers: HTTPFields = [.authorization: "Bearer \(Fixture.institution):\(secret)"]
            for attempt in 0..<2 {
                try await client.execute(uri: "/api/his/bulk?batch=b1", method: .post, headers: headers, body: body) { response in
                    let report = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as! [String: Any]
                    XCTAssertEqual(report["accepted"] as? Int, attempt == 0 ? 2 : 0)
                    XCTAssertEqual(report["duplicates"] as? Int, attempt == 0 ? 0 : 2)
                    let rejected = report["rejected"] as! [[String: Any]]
                    XCTAssertEqual(rejected.map { $0["line"] as! Int }, [2, 4])
                }
            }
            let claims = try await harness.count("claims")
            XCTAssertEqual(claims, 2)
        }
    }

    func testOpenAPIDocumentIsServedAndDescribesEveryRoute() async throws {
        let harness = try IntakeHarness()
        let file = try String(contentsOf: TestEnvironment.repositoryRoot.appendingPathComponent("Services/intake/Resources/intake.yaml"), encoding: .utf8)
        try await harness.run { client, _ in
            try await client.execute(uri: "/openapi.yaml", method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertEqual(String(buffer: response.body), file)
            }
        }
        XCTAssertTrue(file.hasPrefix("openapi: 3."))
        XCTAssertTrue(file.contains("  /openapi.yaml:"))
        XCTAssertEqual(OpenAPICoverage.undocumented(try harness.assembly.router(), document: file), [], "routes missing from the document")
    }
}

final class ReportTests: XCTestCase {
    func testReporterIdentityIsSealedAtRestAbsentFromEventsAndOpenedOnlyThroughTheAuditedPath() async throws {
        let harness = try IntakeHarness()
        try await harness.run { client, _ in
            let secretName = "举报人张三丰", secretPhone = "13912345678"
            let body: [String: Any] = ["subject_type": "institution", "subject_id": "H43010000001", "content": "挂床住院，空刷医保卡",
                                       "evidence": ["file:photo-1"], "reporter": ["name": secretName, "phone": secretPhone]]
            var tracking = ""
            try await client.execute(uri: "/api/reports", method: .post, body: ByteBuffer(data: try JSONSerialization.data(withJSONObject: body))) { response in
                XCTAssertEqual(response.status, .created)
                tracking = (try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as! [String: Any])["tracking_no"] as! String
            }
            try await client.execute(uri: "/api/reports/\(tracking)", method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertFalse(String(buffer: response.body).contains(secretName))
            }
            let leaks = try await harness.count("reports", where: "position(convert_to('\(secretName)', 'UTF8') in reporter_sealed) > 0 OR content LIKE '%\(secretPhone)%'")
            let eventLeaks = try await harness.count("outbox", where: "position(convert_to('\(secretName)', 'UTF8') in payload) > 0 OR position(convert_to('\(secretPhone)', 'UTF8') in payload) > 0")
            let events = try await harness.count("outbox", where: "topic = 'reports.received'")
            XCTAssertEqual(leaks, 0, "the identity is not stored in clear")
            XCTAssertEqual(eventLeaks, 0, "the identity never goes on Kafka")
            XCTAssertEqual(events, 1)

            let reportID = try await harness.runtime.database.client.query("SELECT report_id FROM \(unescaped: harness.schema).reports")
            var id = ""
            for try await value in reportID.decode(String.self) { id = value }
            try await Self.revealTakesTwoPersons(client, reportID: id, expecting: secretName)
            let logged = try await harness.count("reporter_access_log", where: "accessed_by = '王审核'")
            XCTAssertEqual(logged, 1, "every opening is logged")
            let steps = try await harness.count("audit_log", where: """
                (action, actor) IN (('reporter.reveal.requested', '王审核'), ('reporter.reveal.approved', '李复核'), ('reporter.revealed', '王审核'))
                """)
            XCTAssertEqual(steps, 3, "each step is in the audit chain with its person")
        }
    }

    /// One person asks with a reason, a second approves, the first opens, once; nobody else and no shortcut.
    private static func revealTakesTwoPersons(_ client: some TestClientProtocol, reportID: String, expecting secretName: String) async throws {
        let asker = try await TestEnvironment.operatorToken(for: "王审核", [.platformAdministrator])
        let approver = try await TestEnvironment.operatorToken(for: "李复核", [.platformAdministrator])
        let publisher = try await TestEnvironment.operatorToken(for: "赵规则", [.rulePublisher])
        func post(_ uri: String, _ token: String?, _ body: String = "{}") async throws -> (HTTPResponse.Status, String) {
            let headers: HTTPFields = token.map { [.authorization: "Bearer \($0)"] } ?? [:]
            return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body)) { ($0.status, String(buffer: $0.body)) }
        }
        let ask = "/api/admin/reports/\(reportID)/reporter/requests", reason = "{\"reason\":\"核实举报人身份以发放举报奖励\"}"
        let anonymous = try await post(ask, nil, reason), wrongRole = try await post(ask, publisher, reason)
        let noReason = try await post(ask, asker, "{\"reason\":\"x\"}")
        XCTAssertEqual([anonymous.0, wrongRole.0, noReason.0], [.unauthorized, .forbidden, .badRequest])
        let asked = try await post(ask, asker, reason)
        XCTAssertEqual(asked.0, .created)
        let requestID = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(asked.1.utf8)) as? [String: Any])?["request_id"] as? Int)
        let approval = "/api/admin/reporter-requests/\(requestID)/approval", open = "/api/admin/reporter-requests/\(requestID)/reveal"
        let early = try await post(open, asker), selfApproved = try await post(approval, asker)
        XCTAssertEqual([early.0, selfApproved.0], [.conflict, .conflict], "no opening before, and no approval by, the person who asked")
        let approved = try await post(approval, approver)
        XCTAssertEqual(approved.0, .ok)
        let byApprover = try await post(open, approver)
        XCTAssertEqual(byApprover.0, .conflict, "only the person who asked opens")
        let opened = try await post(open, asker)
        XCTAssertEqual(opened.0, .ok)
        XCTAssertTrue(opened.1.contains(secretName))
        let again = try await post(open, asker)
        XCTAssertEqual(again.0, .conflict, "an approval opens once")
    }
}
