import Foundation

/// Where the four services listen and the credentials an operator holds: an operator token (from a
/// login at intake, valid in every service) and the workbench's token secret (`REVIEW_JWT_SECRET`).
public struct Platform: Sendable {
    public var intake: String
    public var review: String
    public var credit: String
    public var notification: String
    public var adminToken: String
    /// Empty when the operator holds none: the workbench calls then fail with 401.
    public var jwtSecret: String

    public init(intake: String = "http://127.0.0.1:8081", review: String = "http://127.0.0.1:8082",
                credit: String = "http://127.0.0.1:8083", notification: String = "http://127.0.0.1:8084",
                adminToken: String, jwtSecret: String) {
        self.intake = intake
        self.review = review
        self.credit = credit
        self.notification = notification
        self.adminToken = adminToken
        self.jwtSecret = jwtSecret
    }

    public var services: [(name: String, url: String)] {
        [("intake", intake), ("smart-review", review), ("credit", credit), ("notification", notification)]
    }
}

/// smart-review's proof of the 100% first review (`GET /api/coverage`).
public struct CoverageReport: Codable, Sendable {
    public var claimsReceived: Int
    public var claimsReviewed: Int
    public var notReviewed: [String]
}

/// The bureau operator's calls (admin token) on intake and smart-review.
extension Platform {
    /// Issues (or re-issues) an institution's 3101/3102 secret; returns it.
    public func issueCredentials(_ institution: String) async throws -> String {
        let answer = API.json(try await API.call("PUT", "\(intake)/api/admin/credentials/\(institution)", token: adminToken))
        guard let secret = answer["secret"] as? String else { throw API.Failure(description: "intake issued no secret for \(institution)") }
        return secret
    }

    /// A national 3101/3102 envelope (already encoded) to `POST /api/his`; the national answer as JSON.
    public func his(_ body: Data, institution: String, secret: String) async throws -> [String: Any] {
        API.json(try await API.retrying { try await API.call("POST", "\(intake)/api/his", token: "\(institution):\(secret)", body: body) })
    }

    public func coverage() async throws -> CoverageReport {
        try await API.call(CoverageReport.self, "GET", "\(review)/api/coverage")
    }

    public func reconcile() async throws -> Data {
        try await API.call("POST", "\(review)/api/coverage/reconcile", token: adminToken)
    }

    /// `POST /api/replay`: a rule-base version (the one in force when `ruleSet` is nil) over admission dates `from`…`to`.
    public func replay(from: String, to: String, dryRun: Bool, ruleSet: Data? = nil) async throws -> Data {
        var body: [String: Any] = ["from": from, "to": to, "dry_run": dryRun]
        if let ruleSet { body["rule_set"] = try JSONSerialization.jsonObject(with: ruleSet) }
        return try await API.call("POST", "\(review)/api/replay", token: adminToken, body: try JSONSerialization.data(withJSONObject: body))
    }

    /// Waits until smart-review reviewed at least `claims` claims, or `timeout` passed; the last report.
    public func awaitCoverage(of claims: Int, timeout: Duration = .seconds(60)) async throws -> CoverageReport {
        let deadline = ContinuousClock.now + timeout
        var report = try await API.retrying { try await coverage() }
        while report.claimsReviewed < claims || !report.notReviewed.isEmpty, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(300))
            report = try await API.retrying { try await coverage() } // smart-review may be restarting (scripts/faults.sh)
        }
        return report
    }
}
