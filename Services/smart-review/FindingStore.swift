import Events
import Foundation
import Persistence
import PostgresNIO
import RuleEngine

/// Findings in PostgreSQL and on `review.findings`. A finding's id is derived from the claim,
/// the rule and its version, so reviewing the same claim again adds nothing, and a new rule
/// version adds its own findings beside the old ones.
struct FindingStore: Sendable {
    let database: Database
    var schema: String { database.schema }

    /// Stores the findings not stored yet and publishes those; returns how many were new.
    func save(_ findings: [Finding], stage: String, traceparent: String?, on connection: PostgresConnection) async throws -> Int {
        try await save(findings, stage: stage, traceparent: { _ in traceparent }, on: connection)
    }

    /// The same for the findings of many claims, each event carrying the trace of its own claim.
    func save(_ findings: [Finding], stage: String, traceparent: (Finding) -> String?, on connection: PostgresConnection) async throws -> Int {
        guard !findings.isEmpty else { return 0 }
        let now = Date()
        let events = findings.map { FindingPublished($0, stage: stage, at: now) }
        let bodies = try events.map { String(decoding: try EventJSON.encoder.encode($0), as: UTF8.self) }
        let rows = try await connection.query("""
            INSERT INTO \(unescaped: schema).findings (finding_id, claim_id, patn_id, medins_id, pattern, rule_id, rule_version, rule_set_version,
                                                      kb_version, severity, amount, stage, body)
            SELECT f.id, f.claim, f.patn, f.medins, f.pattern, f.rule, f.rule_version, f.rule_set_version, f.kb, f.severity, f.amount::numeric,
                   \(stage), f.body::jsonb
            FROM unnest(\(findings.map(\.id)), \(findings.map(\.claimID)), \(findings.map(\.personID)), \(findings.map(\.institutionID)),
                        \(findings.map(\.pattern)), \(findings.map(\.ruleID)), \(findings.map(\.ruleVersion)), \(findings.map(\.ruleSetVersion)),
                        \(findings.map(\.kbVersion)), \(findings.map(\.severity)), \(findings.map { "\($0.amount)" }), \(bodies))
              AS f(id, claim, patn, medins, pattern, rule, rule_version, rule_set_version, kb, severity, amount, body)
            ON CONFLICT (finding_id) DO NOTHING
            RETURNING finding_id
            """, logger: database.logger)
        var fresh = Set<String>()
        for try await id in rows.decode(String.self) { fresh.insert(id) }
        let entries = try zip(findings, events).filter { fresh.contains($1.findingId) }.map { finding, payload in
            Outbox.Entry(try CloudEvent(id: payload.eventID, source: "/smart-review", type: EventType.finding, time: now,
                                        traceparent: traceparent(finding), encoding: payload),
                         topic: Topic.reviewFindings, key: payload.patnId)
        }
        try await Outbox.enqueue(entries, schema: schema, on: connection, logger: database.logger)
        return entries.count
    }
}

extension FindingPublished {
    init(_ finding: Finding, stage: String, at time: Date) {
        self.init(findingId: finding.id, claimId: finding.claimID, mdtrtId: finding.encounterID, setlId: finding.settlementID,
                  patnId: finding.personID, medinsId: finding.institutionID, drCodg: finding.doctor, pattern: finding.pattern,
                  ruleId: finding.ruleID, ruleVersion: finding.ruleVersion, ruleSetVersion: finding.ruleSetVersion,
                  kbVersion: finding.kbVersion, severity: finding.severity, amount: finding.amount, explanation: finding.explanation,
                  legalBasis: finding.legalBasis, evidenceLines: finding.evidenceRxIDs, evidenceClaims: finding.relatedClaimIDs,
                  stage: stage, foundAt: time)
    }
}
