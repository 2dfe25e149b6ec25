import Foundation
import Logging
import Persistence
import PostgresNIO
import ServiceLifecycle
import Synchronization

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

    /// Claims without a review, oldest first; only those received since `since` when it is given.
    func gaps(limit: Int, since: Date? = nil) async throws -> [String] {
        let schema = database.schema
        let rows = try await database.query("""
            SELECT c.claim_id FROM \(unescaped: schema).claims c
            WHERE c.received_at >= \(since ?? .distantPast)
              AND NOT EXISTS (SELECT 1 FROM \(unescaped: schema).reviews r WHERE r.claim_id = c.claim_id)
            ORDER BY c.received_at LIMIT \(limit)
            """, logger: database.logger)
        var ids: [String] = []
        for try await id in rows.decode(String.self) { ids.append(id) }
        return ids
    }
}

/// Re-reviews claims that have no review record (a lost review, a deleted row, a crash between
/// two releases that kept the claim), every `interval`.
///
/// Every claim is looked at when the service starts and once a day (`fullSweepInterval`); the sweeps
/// between look only at the claims received since the previous sweep began, less `margin` (a claim's
/// `received_at` is its transaction's start, which may commit later). Each sweep was an anti-join of
/// every claim against every review: nothing at a test's size, both tables read whole every 30 s at a
/// bureau's (34 million settlements on the busiest day).
///
/// The margin is how late a claim can become visible: its transaction is given up at the database's
/// transaction timeout (`PG_TRANSACTION_TIMEOUT`), so that plus half a minute. A fixed 10 minutes
/// made each sweep read every claim of the last 10.5 minutes, each claim 21 times over: at 2,000
/// claims/s a parallel anti-join of over a million claims every 30 s (120,000 claims: ~100 ms on
/// three processes, `EXPLAIN ANALYZE` after `bench.sh load`).
struct Reconciler: Service {
    let coverage: Coverage
    let reviewer: ClaimReviewer
    var interval: Duration = .seconds(30)
    var fullSweepInterval: TimeInterval = 24 * 3600
    var margin: TimeInterval
    private let marks = SweepMarks()

    init(coverage: Coverage, reviewer: ClaimReviewer, interval: Duration = .seconds(30)) {
        self.coverage = coverage
        self.reviewer = reviewer
        self.interval = interval
        let timeout = coverage.database.transactionTimeout.components
        margin = TimeInterval(timeout.seconds) + TimeInterval(timeout.attoseconds) / 1e18 + 30
    }

    func run() async throws {
        try await repeatUntilShutdown(pause: { [interval] in interval }) { _ = try? await sweep() }
    }

    /// The periodic sweep: every claim if none was swept in full for `fullSweepInterval`, else the
    /// claims received since the last sweep began (less `margin`). Returns how many gaps it closed.
    func sweep(now: Date = Date()) async throws -> Int {
        let (lastFull, lastSweep) = marks.state.withLock { ($0.full, $0.sweep) }
        let full = lastFull.map { now.timeIntervalSince($0) >= fullSweepInterval } ?? true
        let closed = try await reconcile(since: full ? nil : lastSweep.map { $0.addingTimeInterval(-margin) })
        // A sweep that met its limit left gaps behind it: the next one looks as far back again.
        guard closed < Self.limit else { return closed }
        marks.state.withLock { state in
            state.sweep = now
            if full { state.full = now }
        }
        return closed
    }

    /// Gaps closed by one sweep at most (each is a transaction of its own).
    static let limit = 10_000

    /// Reviews every gap (those received since `since`, when given); returns how many were closed.
    func reconcile(since: Date? = nil) async throws -> Int {
        let database = coverage.database
        var closed = 0
        for claimID in try await coverage.gaps(limit: Self.limit, since: since) {
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

/// When the reconciler last swept every claim, and when its last sweep began.
private final class SweepMarks: Sendable {
    let state = Mutex<(full: Date?, sweep: Date?)>((nil, nil))
}
