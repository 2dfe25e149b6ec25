import Foundation
import Logging
import Persistence
import PostgresNIO
import ServiceLifecycle
import Synchronization
import Timing

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

    /// Claims without a review, oldest first; only those received in [`since`, `until`) when given.
    /// Each claim is looked up in the reviews' index, on one process: planned freely, the anti-join
    /// read every review by a (parallel, three-process) sequential scan while the reviews were young,
    /// every sweep: 41 reads of the whole table in a 60-second profile at 2,000 claims/s, a burst on
    /// both cores every 30 s beside the peak's answers. A window's claims are found through the BRIN
    /// index on `received_at`.
    func gaps(limit: Int, since: Date? = nil, until: Date? = nil) async throws -> [String] {
        let schema = database.schema
        return try await database.transaction { connection in
            try await connection.query("""
                SELECT set_config('max_parallel_workers_per_gather', '0', true), set_config('enable_hashjoin', 'off', true),
                       set_config('enable_mergejoin', 'off', true)
                """, logger: database.logger)
            let rows = try await connection.query("""
                SELECT c.claim_id FROM \(unescaped: schema).claims c
                WHERE c.received_at >= \(since ?? .distantPast) AND c.received_at < \(until ?? .distantFuture)
                  AND NOT EXISTS (SELECT 1 FROM \(unescaped: schema).reviews r WHERE r.claim_id = c.claim_id)
                ORDER BY c.received_at LIMIT \(limit)
                """, logger: database.logger)
            var ids: [String] = []
            for try await id in rows.decode(String.self) { ids.append(id) }
            return ids
        }
    }
}

/// Re-reviews claims that have no review record (a lost review, a deleted row, a crash between
/// two releases that kept the claim), every `interval`.
///
/// Every claim is looked at when the service starts and once a day (`fullSweepInterval`); each sweep
/// between looks at the claims that have become certain since the one before: received before the
/// sweep less `margin` (a claim's `received_at` is its transaction's start, and the transaction is
/// given up at the database's transaction timeout, `PG_TRANSACTION_TIMEOUT`, so that plus half a
/// minute), and not looked at by a sweep before. Each claim is looked at once that way, whatever the
/// interval. A window of the last 10 minutes read every claim 21 times over (session 16 made it the
/// margin, 4 times); a claim still in its transaction is not yet looked at, and a lost review is
/// closed a margin and a sweep after its claim arrived.
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
        margin = coverage.database.transactionTimeout.inSeconds + 30
    }

    func run() async throws {
        try await repeatUntilShutdown(pause: { [interval] in interval }) { _ = try? await sweep() }
    }

    /// The periodic sweep: every claim if none was swept in full for `fullSweepInterval`, else the
    /// claims that became certain since the last sweep. Returns how many gaps it closed.
    func sweep(now: Date = Date()) async throws -> Int {
        let (lastFull, certainUpTo) = marks.state.withLock { ($0.full, $0.certain) }
        let full = lastFull.map { now.timeIntervalSince($0) >= fullSweepInterval } ?? true
        let certain = now.addingTimeInterval(-margin)
        let gaps: [String]
        if full {
            gaps = try await coverage.gaps(limit: Self.limit)
        } else if let from = certainUpTo, from < certain {
            gaps = try await coverage.gaps(limit: Self.limit, since: from, until: certain)
        } else {
            return 0
        }
        let closed = try await close(gaps)
        // A sweep that met its limit left gaps behind it: the next one looks as far back again.
        guard closed < Self.limit else { return closed }
        marks.state.withLock { state in
            state.certain = max(state.certain ?? certain, certain)
            if full { state.full = now }
        }
        return closed
    }

    /// Gaps closed by one sweep at most (each is a transaction of its own).
    static let limit = 10_000

    /// Reviews every gap (those received since `since`, when given); returns how many were closed.
    func reconcile(since: Date? = nil) async throws -> Int {
        try await close(try await coverage.gaps(limit: Self.limit, since: since))
    }

    private func close(_ gaps: [String]) async throws -> Int {
        let database = coverage.database
        var closed = 0
        for claimID in gaps {
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

/// When the reconciler last swept every claim, and up to when (`received_at`) every claim has been looked at.
private final class SweepMarks: Sendable {
    let state = Mutex<(full: Date?, certain: Date?)>((nil, nil))
}
