import ClaimArchive
import Events
import Foundation
import HISContract
import Logging
import Persistence
import PostgresNIO
import ReferenceData
import RuleEngine

/// The after-the-fact review (事后监管) of every accepted claim (初审 100% 覆盖): the claims of a
/// run are stored, each is evaluated with every pattern against the history known so far, their
/// findings stored and published, and the reviews recorded with the rule-base and knowledge-base
/// versions — all in the transaction that records the events as consumed, so a redelivery
/// changes nothing.
///
/// Within a run, each claim's history holds the claims before it in the run, as if they had come
/// one by one in the order of their partition: the findings do not depend on how the stream was
/// cut into runs, nor on how many processes share the partitions.
struct ClaimReviewer: Sendable {
    let database: Database
    let reference: ReferenceData
    let archive: ClaimArchive
    var schema: String { database.schema }

    init(database: Database, reference: ReferenceData, cacheCapacity: Int = 0) {
        self.database = database
        self.reference = reference
        self.archive = ClaimArchive(database: database, cache: ClaimCache(capacity: cacheCapacity))
    }

    private var claims: ReviewedClaims { ReviewedClaims(archive: archive) }

    struct Malformed: PermanentEventError, CustomStringConvertible { let description: String }

    /// One claim to review, with the trace of the request that brought it.
    struct Pending: Sendable {
        var claim: Claim
        var traceparent: String?
    }

    /// Reviews a run of `claims.accepted` events, leaving out the claims already stored: this
    /// consumer has no inbox (`EventProcessor.Idempotence.handler`), and a claim stored is a claim
    /// reviewed, so a redelivered event changes nothing.
    func apply(_ events: [CloudEvent], on connection: PostgresConnection, logger: Logger) async throws {
        let delivered = Array(zip(try events.map(Self.read), events))
        let stored = try await claims.stored(delivered.map(\.0.claim.claimID), on: connection)
        // Each event id comes once (`EventProcessor`), and a claim's event id is named by its claim id.
        let fresh = delivered.filter { !stored.contains($0.0.claim.claimID) }
        guard !fresh.isEmpty else { return }
        if fresh.count < delivered.count { logger.debug("claims already reviewed left out", metadata: ["count": "\(delivered.count - fresh.count)"]) }
        let received = fresh.map(\.0)
        let run = received.map(\.claim)
        try await archive.lockCapacityKeys(of: run, on: connection)
        // The history is read before the run is stored: the run's own claims are left out of it
        // either way, and a person or a traceability code seen for the first time then meets an
        // empty index range instead of rows this transaction has just written.
        let known = try await archive.records(around: run, windowDays: try reference.engine.rules.historyWindowDays, on: connection)
        try await claims.store(received, on: connection)
        try await review(fresh.map { Pending(claim: $0.0.claim, traceparent: $0.1.traceparent) }, known: known,
                         on: connection, logger: logger)
    }

    static func read(_ event: CloudEvent) throws -> ReviewedClaims.Received {
        do {
            let (accepted, record) = try ClaimAccepted.readWithRecord(event.data)
            let claim = try Claim(patient: accepted.patient, encounter: accepted.encounter, claimID: accepted.claimId,
                                  supersedes: accepted.supersedes)
            return ReviewedClaims.Received(claim: claim, version: accepted.version, supersedes: accepted.supersedes,
                                          record: record)
        } catch {
            throw Malformed(description: "claims.accepted event \(event.id) cannot be read: \(error)")
        }
    }

    /// Evaluates stored claims in order and records their reviews; also used by the reconciler.
    /// Before each claim is evaluated, the standing findings it may contradict are weighed
    /// against it (a late visit, a corrected settlement) and withdrawn where they no longer hold.
    func review(_ pending: [Pending], on connection: PostgresConnection, logger: Logger) async throws {
        guard !pending.isEmpty else { return }
        let known = try await archive.records(around: pending.map(\.claim), windowDays: try reference.engine.rules.historyWindowDays, on: connection)
        try await review(pending, known: known, on: connection, logger: logger)
    }

    /// Evaluates claims against the history read for them (`known`, the claims themselves left out).
    private func review(_ pending: [Pending], known: ArchivedHistory, on connection: PostgresConnection, logger: Logger) async throws {
        guard !pending.isEmpty else { return }
        let engine = try reference.engine, store = FindingStore(database: database)
        var history = known.history(adding: pending.count)
        var standing = StandingFindings(try await store.standing(of: RuleEngine.contestable(known.claims, by: pending.map(\.claim)), on: connection),
                                        history: history)
        var reviewed: [(claim: Claim, findings: [Finding])] = [], withdrawals: [FindingWithdrawal] = []
        var traces: [String: String] = [:]
        for item in pending {
            let contestable = standing.contestable(by: item.claim)
            if !contestable.isEmpty {
                let gone = engine.withdrawals(for: item.claim, history: history, standing: contestable)
                standing.remove(Set(gone.map(\.findingID)))
                withdrawals += gone
            }
            var findings = engine.evaluate(item.claim, history: history)
            history.add(item.claim)
            // A version whose correction came first is reviewed, but nothing it shows stands.
            if history.isSuperseded(item.claim.claimID) { findings = [] }
            reviewed.append((item.claim, findings))
            standing.add(findings, history: history)
            traces[item.claim.claimID] = item.traceparent
        }
        let published = try await store.save(reviewed.flatMap(\.findings), stage: "after", traceparent: { traces[$0.claimID] }, on: connection)
        let withdrawn = try await store.withdraw(withdrawals, traceparent: { traces[$0.byClaimID] }, on: connection)
        try await connection.query("""
            INSERT INTO \(unescaped: schema).reviews (claim_id, rule_set_version, kb_version, findings)
            SELECT claim, \(engine.rules.version), \(engine.knowledgeBase.version), findings
            FROM unnest(\(reviewed.map(\.claim.claimID)), \(reviewed.map(\.findings.count))) AS r(claim, findings)
            ON CONFLICT DO NOTHING
            """, logger: logger)
        let queue = WorkbenchQueue(database: database)
        try await queue.enqueue(reviewed, knowledgeBase: engine.knowledgeBase, on: connection)
        try await queue.withdraw(withdrawn, on: connection)
        if published + withdrawn.count > 0 {
            logger.info("claims reviewed", metadata: ["claims": "\(reviewed.count)", "findings": "\(published)", "withdrawn": "\(withdrawn.count)"])
        }
    }
}
