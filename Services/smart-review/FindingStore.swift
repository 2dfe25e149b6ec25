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
        // Each event encoded once: the stored body and the published data are the same bytes.
        let encoded = try events.map { Array(try EventJSON.encoder.encode($0)) }
        let bodies = encoded.map { String(decoding: $0, as: UTF8.self) }
        let wholes = try findings.map { String(decoding: try Self.wholeEncoder.encode($0), as: UTF8.self) }
        let rows = try await connection.query("""
            INSERT INTO \(unescaped: schema).findings (finding_id, claim_id, patn_id, medins_id, pattern, rule_id, rule_version, rule_set_version,
                                                      kb_version, severity, amount, stage, body, finding)
            SELECT f.id, f.claim, f.patn, f.medins, f.pattern, f.rule, f.rule_version, f.rule_set_version, f.kb, f.severity, f.amount::numeric,
                   \(stage), f.body::jsonb, f.whole::jsonb
            FROM unnest(\(findings.map(\.id)), \(findings.map(\.claimID)), \(findings.map(\.personID)), \(findings.map(\.institutionID)),
                        \(findings.map(\.pattern)), \(findings.map(\.ruleID)), \(findings.map(\.ruleVersion)), \(findings.map(\.ruleSetVersion)),
                        \(findings.map(\.kbVersion)), \(findings.map(\.severity.rawValue)), \(findings.map { "\($0.amount)" }), \(bodies), \(wholes))
              AS f(id, claim, patn, medins, pattern, rule, rule_version, rule_set_version, kb, severity, amount, body, whole)
            ON CONFLICT (finding_id) DO NOTHING
            RETURNING finding_id
            """, logger: database.logger)
        var fresh = Set<String>()
        for try await id in rows.decode(String.self) { fresh.insert(id) }
        let entries = zip(findings, zip(events, encoded)).filter { fresh.contains($1.0.findingId) }.map { finding, event in
            Outbox.Entry(CloudEvent(id: event.0.eventID, source: "/smart-review", type: EventType.finding, time: now,
                                    traceparent: traceparent(finding), data: event.1),
                         topic: Topic.reviewFindings, key: event.0.patnId)
        }
        try await Outbox.enqueue(entries, schema: schema, on: connection, logger: database.logger)
        return entries.count
    }

    /// The findings of `claimIDs` that stand (not withdrawn), as the rule engine made them.
    func standing(of claimIDs: [String], on connection: PostgresConnection) async throws -> [Finding] {
        guard !claimIDs.isEmpty else { return [] }
        let rows = try await connection.query("""
            SELECT finding::text FROM \(unescaped: schema).findings
            WHERE claim_id = ANY(\(claimIDs)) AND withdrawn_at IS NULL AND finding IS NOT NULL
            """, logger: database.logger)
        var found: [Finding] = []
        let decoder = JSONDecoder()
        for try await text in rows.decode(String.self) { found.append(try decoder.decode(Finding.self, from: Data(text.utf8))) }
        return found
    }

    /// Marks the findings withdrawn (each once, whatever retries) and publishes
    /// `cn.hsa.review.finding.withdrawn` for each; returns those newly withdrawn.
    func withdraw(_ withdrawals: [FindingWithdrawal], traceparent: (FindingWithdrawal) -> String?,
                  on connection: PostgresConnection) async throws -> [FindingWithdrawal] {
        guard !withdrawals.isEmpty else { return [] }
        let rows = try await connection.query("""
            UPDATE \(unescaped: schema).findings f SET withdrawn_at = now(), withdrawn_reason = w.reason, withdrawn_by = w.by
            FROM unnest(\(withdrawals.map(\.findingID)), \(withdrawals.map(\.reasonZh)), \(withdrawals.map(\.byClaimID))) AS w(id, reason, by)
            WHERE f.finding_id = w.id AND f.withdrawn_at IS NULL
            RETURNING f.finding_id, f.patn_id, f.medins_id
            """, logger: database.logger)
        var parties: [String: (person: String, institution: String)] = [:]
        for try await (id, person, institution) in rows.decode((String, String, String).self) { parties[id] = (person, institution) }
        let now = Date()
        let done = withdrawals.filter { parties[$0.findingID] != nil }
        let entries = try done.compactMap { w -> Outbox.Entry? in
            guard let (person, institution) = parties[w.findingID] else { return nil }
            let payload = FindingWithdrawn(findingId: w.findingID, claimId: w.claimID, patnId: person, medinsId: institution, pattern: w.pattern,
                                           cause: w.cause.rawValue, reason: w.reason, reasonZh: w.reasonZh, byClaimId: w.byClaimID, withdrawnAt: now)
            return Outbox.Entry(try CloudEvent(id: payload.eventID, source: "/smart-review", type: EventType.findingWithdrawn, time: now,
                                               traceparent: traceparent(w), encoding: payload),
                                topic: Topic.reviewFindings, key: person)
        }
        try await Outbox.enqueue(entries, schema: schema, on: connection, logger: database.logger)
        return done
    }

    /// The whole finding as the rule engine made it (its own Codable form), kept for withdrawals.
    private static let wholeEncoder = JSONEncoder()
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
