import Events
import Foundation
import Persistence
import PostgresNIO
import ReviewWorkflow

/// Publication (行政执法公示) of a decided case as `CaseDecided` on `review.outcomes`, through the outbox
/// in the transaction that marks the case published, so it goes out once and only once approved.
extension Workbench {
    func publish(_ caseID: String, by reviewer: Reviewer) async throws -> CaseRecord {
        try await perform(reviewer, "case.published", subject: "case:\(caseID)") { connection in
            var record = try await loadCase(caseID, on: connection)
            try reviewer.requireScope(record.admdvs)
            guard canPublish(record.decision) else {
                throw Refusal(status: .conflict, reason: "case \(caseID) is \(record.state.rawValue): "
                              + (record.decision.isMajor ? "a major decision needs the legal reviewer's approval first (重大执法决定法制审核)" : "not approved"))
            }
            try caseRules { try record.decision.publish(by: reviewer.user, at: Date()) }
            let outcome = try await outcome(of: record, on: connection)
            try await Outbox.enqueue(try CloudEvent(id: outcome.eventID, source: "/smart-review", type: EventType.outcome, encoding: outcome),
                                     topic: Topic.reviewOutcomes, key: caseID, schema: schema, on: connection, logger: database.logger)
            try await save(record, on: connection)
            return (record, ["event": outcome.eventID, "fine": "\(outcome.fine)", "amount": "\(outcome.amount)"])
        }
    }

    /// The `review.outcomes` payload: the institution, its attending doctors (with proposed points) and the insured persons as parties.
    private func outcome(of record: CaseRecord, on connection: PostgresConnection) async throws -> CaseDecided {
        let claims = try await caseClaims(record.caseId, on: connection)
        let kb = try reference.knowledgeBase
        let proposal = record.proposal
        let doctors = Set(claims.compactMap(\.doctor)).sorted(), persons = Set(claims.map(\.person)).sorted()
        let personParties = persons.map { CaseDecided.Party(id: $0, kind: "insured_person", role: "insured", insuredRegion: kb.persons[$0]?.insuredRegion) }
        let parties = [CaseDecided.Party(id: record.medinsId, kind: "institution", role: "designated_institution",
                                         name: kb.institutions[record.medinsId]?.name)]
            + doctors.map { CaseDecided.Party(id: $0, kind: "practitioner", role: "attending_doctor") } + personParties
        let findings = try await caseFindings(claims.map(\.id), on: connection)
        return CaseDecided(caseId: record.caseId, institutionId: record.medinsId, institutionName: kb.institutions[record.medinsId]?.name,
                           careRegion: record.admdvs, insuredRegions: Set(personParties.compactMap(\.insuredRegion)).sorted(),
                           claimIds: claims.map(\.id), findingIds: findings.ids, parties: parties, patterns: findings.patterns,
                           severity: findings.severity, amount: proposal.recoverAmount, fine: proposal.fineAmount,
                           article: proposal.article.rawValue, handling: proposal.handling,
                           suspensionMonths: proposal.suspensionMonths > 0 ? proposal.suspensionMonths : nil,
                           practitionerPoints: Dictionary(uniqueKeysWithValues: doctors.map { ($0, proposal.practitionerPoints) }),
                           fraud: record.violation.isFraud, legalBasis: proposal.article.citation, referToPolice: proposal.referToPolice,
                           publicOfficialsInvolved: false, decidedAt: Date(), legalReviewer: record.decision.legalOpinion?.reviewer,
                           traceabilityCodes: findings.traceCodes)
    }

    private func caseClaims(_ caseID: String, on connection: PostgresConnection) async throws -> [(id: String, person: String, doctor: String?)] {
        let rows = try await connection.query("""
            SELECT c.claim_id, c.patn_id, c.dr_codg FROM \(unescaped: schema).case_items ci
            JOIN \(unescaped: schema).review_items i USING (item_id) JOIN \(unescaped: schema).claims c ON c.claim_id = i.claim_id
            WHERE ci.case_id = \(caseID) ORDER BY c.claim_id
            """, logger: database.logger)
        var claims: [(id: String, person: String, doctor: String?)] = []
        for try await (id, person, doctor) in rows.decode((String, String, String?).self) { claims.append((id, person, doctor)) }
        return claims
    }

    private func caseFindings(_ claims: [String], on connection: PostgresConnection)
        async throws -> (ids: [String], patterns: [String], severity: Int, traceCodes: [String]) {
        let rows = try await connection.query("""
            SELECT finding_id, pattern, severity FROM \(unescaped: schema).findings WHERE claim_id = ANY(\(claims)) AND withdrawn_at IS NULL ORDER BY finding_id
            """, logger: database.logger)
        var ids: [String] = [], patterns = Set<String>(), severity = 3
        for try await (id, pattern, level) in rows.decode((String, String, Int).self) {
            ids.append(id)
            patterns.insert(pattern)
            severity = min(severity, level)
        }
        let codes = try await connection.query("""
            SELECT DISTINCT code FROM \(unescaped: schema).claim_trace_codes WHERE claim_id = ANY(\(claims)) ORDER BY code
            """, logger: database.logger)
        var traceCodes: [String] = []
        for try await code in codes.decode(String.self) { traceCodes.append(code) }
        return (ids, patterns.sorted(), severity, traceCodes)
    }
}

extension Proposal {
    /// The measures in the contract's words (recover, fine, suspension, termination, referral).
    var handling: [String] {
        [(recoverAmount > 0, "recover"), (fineAmount > 0, "fine"), (suspensionMonths > 0, "suspension"),
         (terminateAgreement, "termination"), (referToPolice, "referral")].filter(\.0).map(\.1)
    }

    /// Points proposed for each attending doctor (医保支付资格记分), by the band of the measures: the
    /// national scheme scores 1–3, 4–6, 7–9 and 10–12 by gravity; credit keeps the authoritative score.
    var practitionerPoints: Int {
        if terminateAgreement || referToPolice || article == .article40 { return 12 }
        if suspensionMonths > 0 { return 9 }
        if lenientMeasure == .noPenalty { return 1 }
        return (fineMultiple ?? 0) >= 1.5 ? 6 : 3
    }
}
