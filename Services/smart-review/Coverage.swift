import Foundation
import Logging
import Persistence
import PostgresNIO
import ServiceLifecycle

/// Proof of the 100% first review (初审全覆盖): every claim smart-review received has a review
/// record naming the rule-base and knowledge-base versions used. The report lists the gaps; the
/// reconciler closes them by reviewing those claims again.
struct Coverage: Sendable {
    let database: Database

    struct Report: Codable, Sendable {
        var claimsReceived: Int
        var claimsReviewed: Int
        var notReviewed: [String]
        var reviewsByRuleSetVersion: [String: Int]
        /// Findings that stand, and those withdrawn (later evidence, a corrected settlement).
        var findingsStanding: Int
        var findingsWithdrawn: Int
    }

    func report(limit: Int = 100) async throws -> Report {
        let schema = database.schema
        var report = Report(claimsReceived: 0, claimsReviewed: 0, notReviewed: [], reviewsByRuleSetVersion: [:], findingsStanding: 0,
                            findingsWithdrawn: 0)
        let counts = try await database.query("""
            SELECT (SELECT count(*) FROM \(unescaped: schema).claims),
                   (SELECT count(DISTINCT claim_id) FROM \(unescaped: schema).reviews),
                   (SELECT count(*) FILTER (WHERE withdrawn_at IS NULL) FROM \(unescaped: schema).findings),
                   (SELECT count(*) FILTER (WHERE withdrawn_at IS NOT NULL) FROM \(unescaped: schema).findings)
            """, logger: database.logger)
        for try await (received, reviewed, standing, withdrawn) in counts.decode((Int, Int, Int, Int).self) {
            report.claimsReceived = received
            report.claimsReviewed = reviewed
            report.findingsStanding = standing
            report.findingsWithdrawn = withdrawn
        }
        report.notReviewed = try await gaps(limit: limit)
        let versions = try await database.query(
            "SELECT rule_set_version, count(*) FROM \(unescaped: schema).reviews GROUP BY 1", logger: database.logger)
        for try await (version, count) in versions.decode((Int, Int).self) { report.reviewsByRuleSetVersion["\(version)"] = count }
        return report
    }

    func gaps(limit: Int) async throws -> [String] {
        let schema = database.schema
        let rows = try await database.query("""
            SELECT c.claim_id FROM \(unescaped: schema).claims c
            WHERE NOT EXISTS (SELECT 1 FROM \(unescaped: schema).reviews r WHERE r.claim_id = c.claim_id)
            ORDER BY c.received_at LIMIT \(limit)
            """, logger: database.logger)
        var ids: [String] = []
        for try await id in rows.decode(String.self) { ids.append(id) }
        return ids
    }
}

/// Re-reviews claims that have no review record (a lost review, a deleted row, a crash between
/// two releases that kept the claim), every `interval`.
struct Reconciler: Service {
    let coverage: Coverage
    let reviewer: ClaimReviewer
    var interval: Duration = .seconds(30)

    func run() async throws {
        try await repeatUntilShutdown(pause: { [interval] in interval }) { _ = try? await reconcile() }
    }

    /// Reviews every gap; returns how many were closed.
    func reconcile() async throws -> Int {
        let database = coverage.database
        var closed = 0
        for claimID in try await coverage.gaps(limit: 10_000) {
            try await database.transaction { connection in
                guard let claim = try await reviewer.archive.claim(claimID, on: connection) else { return }
                try await reviewer.review([.init(claim: claim, traceparent: nil)], on: connection, logger: database.logger)
            }
            closed += 1
        }
        if closed > 0 { database.logger.notice("coverage gaps closed", metadata: ["claims": "\(closed)"]) }
        return closed
    }
}
