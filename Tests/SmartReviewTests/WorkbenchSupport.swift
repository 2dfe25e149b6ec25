import ReviewWorkflow
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import TestSupport
import XCTest
@testable import smart_review

/// A workbench user in tests: a person in one post and region (an institution's clerk names the
/// institution too), calling through a minted token.
struct Desk {
    let client: TestClientProtocol
    let user: String
    let role: WorkbenchRole
    var admdvs = "430100"
    var medins: String?

    /// An institution's clerk (the `institution` post).
    static func clerk(_ client: TestClientProtocol, _ user: String, medins: String, admdvs: String = "430100") -> Desk {
        Desk(client: client, user: user, role: .institution, admdvs: admdvs, medins: medins)
    }

    /// Calls the API; returns the status and the decoded JSON body (nil when empty or not JSON).
    @discardableResult
    func call(_ method: HTTPRequest.Method, _ uri: String, _ body: [String: Any]? = nil,
              idempotencyKey: String? = nil) async throws -> (status: HTTPResponse.Status, json: Any?) {
        let token = try await WorkbenchToken.mint(user: user, role: role, admdvs: admdvs, medins: medins, secret: workbenchSecret)
        let buffer = try body.map { ByteBuffer(data: try JSONSerialization.data(withJSONObject: $0)) }
        var headers: HTTPFields = [.authorization: "Bearer \(token)"]
        if let idempotencyKey { headers[.init("idempotency-key")!] = idempotencyKey }
        return try await client.execute(uri: uri, method: method, headers: headers, body: buffer) { response in
            (response.status, try? JSONSerialization.jsonObject(with: Data(buffer: response.body)))
        }
    }
}

extension Desk {
    /// Calls the API and asserts the status; returns the JSON body.
    @discardableResult
    func expect(_ status: HTTPResponse.Status, _ method: HTTPRequest.Method, _ uri: String, _ body: [String: Any]? = nil,
                idempotencyKey: String? = nil, file: StaticString = #filePath, line: UInt = #line) async throws -> Any? {
        let answer = try await call(method, uri, body, idempotencyKey: idempotencyKey)
        XCTAssertEqual(answer.status, status, "\(user) \(method) \(uri): \(String(describing: answer.json))", file: file, line: line)
        return answer.json
    }
}

extension ReviewHarness {
    /// Flags `count` claims of the fixture institution (a consultation billed twice a day: P04, severity 1)
    /// and waits until each is on the first-level queue.
    func flagClaims(_ claims: Int, prefix: String = "MD-WB") async throws {
        let events = try (0..<claims).map { try accepted(Fixture.encounter("\(prefix)-\($0)", lines: [Fixture.consultLine(count: 2)])) }
        try await consume(events) { try await count("review_items") == claims }
    }

    func sql(_ statement: String) async throws {
        try await database.client.query(PostgresQuery(unsafeSQL: statement.replacingOccurrences(of: "{schema}", with: schema)))
    }

    func firstItem() async throws -> Int {
        let ids = try await itemIDs()
        return try XCTUnwrap(ids.first)
    }

    func itemIDs() async throws -> [Int] {
        let rows = try await database.client.query(PostgresQuery(unsafeSQL: "SELECT item_id FROM \(schema).review_items ORDER BY item_id"))
        var ids: [Int] = []
        for try await id in rows.decode(Int.self) { ids.append(id) }
        return ids
    }
}

/// Takes an item through both levels: `first` decides it confirmed, `second` confirms it again.
func decideBothLevels(_ item: Int, first: Desk, second: Desk, amount: Double = 12) async throws {
    try await first.expect(.ok, .post, "/api/workbench/items/\(item)/claim")
    try await first.expect(.ok, .post, "/api/workbench/items/\(item)/decision", ["decision": "confirmed", "amount": amount])
    try await second.expect(.ok, .post, "/api/workbench/items/\(item)/claim")
    try await second.expect(.ok, .post, "/api/workbench/items/\(item)/decision", ["decision": "confirmed", "amount": amount])
}
