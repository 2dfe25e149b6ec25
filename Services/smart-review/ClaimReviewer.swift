import Events
import Foundation
import HISContract
import Logging
import Persistence
import PostgresNIO
import ReferenceData
import RuleEngine

/// The after-the-fact review (事后监管) of every accepted claim (初审 100% 覆盖): the claim is
/// stored, evaluated with every pattern against the history known so far, its findings stored
/// and published, and the review recorded with the rule-base and knowledge-base versions — all
/// in the transaction that records the event as consumed, so a redelivery changes nothing.
struct ClaimReviewer: Sendable {
    let database: Database
    let reference: ReferenceData
    var schema: String { database.schema }

    struct Malformed: PermanentEventError, CustomStringConvertible { let description: String }

    func apply(_ event: CloudEvent, on connection: PostgresConnection, logger: Logger) async throws {
        let accepted: ClaimAccepted
        let claim: Claim
        do {
            accepted = try event.decode(ClaimAccepted.self)
            claim = try Claim(patient: accepted.patient, encounter: accepted.encounter, claimID: accepted.claimId)
        } catch {
            throw Malformed(description: "claims.accepted event \(event.id) cannot be read: \(error)")
        }
        try await ClaimArchive(database: database).lockCapacityKeys(of: claim, on: connection)
        try await ClaimArchive(database: database).store(accepted, claim, on: connection)
        try await review(claim, traceparent: event.traceparent, on: connection, logger: logger)
    }

    /// Evaluates one stored claim and records the review; also used by the reconciler.
    func review(_ claim: Claim, traceparent: String?, on connection: PostgresConnection, logger: Logger) async throws {
        let engine = try reference.engine
        let history = try await ClaimArchive(database: database).history(around: claim, on: connection)
        let findings = engine.evaluate(claim, history: history)
        let published = try await FindingStore(database: database).save(findings, stage: "after", traceparent: traceparent, on: connection)
        try await connection.query("""
            INSERT INTO \(unescaped: schema).reviews (claim_id, rule_set_version, kb_version, findings)
            VALUES (\(claim.claimID), \(engine.rules.version), \(engine.knowledgeBase.version), \(findings.count))
            ON CONFLICT DO NOTHING
            """, logger: logger)
        try await WorkbenchQueue(database: database).enqueue(claim, findings: findings, knowledgeBase: engine.knowledgeBase, on: connection)
        if published > 0 { logger.info("claim reviewed", metadata: ["claim": "\(claim.claimID)", "findings": "\(published)"]) }
    }
}
