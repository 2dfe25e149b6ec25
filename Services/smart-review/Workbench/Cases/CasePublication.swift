import Events
import Foundation
import Persistence
import PostgresNIO
import CreditRules
import ReviewWorkflow

/// Publication (行政执法公示) of a decided case as `CaseDecided` on `review.outcomes`, through the outbox
/// in the transaction that marks the case published, so it goes out once and only once approved.
extension Workbench {
    func publish(_ caseID: String, by reviewer: Reviewer) async throws -> CaseRecord {
        try await perform(reviewer, "case.published", subject: "case:\(caseID)") { connection in
            var record = try await cases.load(caseID, on: connection)
            try reviewer.requireScope(record.admdvs)
            guard canPublish(record.decision) else {
                throw WorkbenchError.refusedInState("case \(caseID) is \(record.state.rawValue): "
                              + (record.decision.isMajor ? "a major decision needs the legal reviewer's approval first (重大执法决定法制审核)" : "not approved"))
            }
            try caseRules { try record.decision.publish(by: reviewer.user, at: Date()) }
            let outcome = try await outcome(of: record, on: connection)
            try await Outbox.enqueue(try CloudEvent(id: outcome.eventID, source: "/smart-review", type: EventType.outcome, encoding: outcome),
                                     topic: Topic.reviewOutcomes, key: caseID, schema: schema, on: connection, logger: database.logger)
            try await cases.save(record, on: connection)
            return (record, ["event": outcome.eventID, "fine": "\(outcome.fine)", "amount": "\(outcome.amount)"])
        }
    }

    /// The `review.outcomes` payload: the parties the supervisor named (the institution only when it
    /// answers for the case), points for the named practitioners alone by the national schedule per conduct.
    private func outcome(of record: CaseRecord, on connection: PostgresConnection) async throws -> CaseDecided {
        let claims = try await cases.claims(of: record.caseId, on: connection)
        let kb = try reference.knowledgeBase
        let proposal = record.proposal
        let named = record.parties ?? .institutionOnly(record.medinsId, conduct: record.violation.kind)
        let parties = named.parties.map { party in
            CaseDecided.Party(id: party.id, kind: party.kind.wireName, role: party.role.rawValue,
                              name: party.kind == .institution || party.kind == .pharmacy ? kb.institutions[party.id]?.name : nil,
                              insuredRegion: party.kind == .insuredPerson ? kb.persons[party.id]?.insuredRegion : nil,
                              conduct: party.conduct.map(\.rawValue))
        }
        let weight = record.violation.seriousness.handlingWeight
        let points = named.practitioners.reduce(into: [String: Int]()) { points, party in
            points[party.id] = PointSchedule.national.points(for: party.conduct.map(\.rawValue), weight: weight)
        }
        let circumstances = record.circumstances ?? CaseCircumstances()
        let insuredRegions = Set(claims.compactMap { kb.persons[$0.person]?.insuredRegion }).sorted()
        let findings = try await cases.findings(of: claims.map(\.id), on: connection)
        return CaseDecided(caseId: record.caseId, institutionId: record.medinsId, institutionName: kb.institutions[record.medinsId]?.name,
                           careRegion: record.admdvs, insuredRegions: insuredRegions,
                           claimIds: claims.map(\.id), findingIds: findings.ids, parties: parties, patterns: findings.patterns,
                           severity: findings.severity, amount: proposal.recoverAmount, fine: proposal.fineAmount,
                           article: proposal.article.rawValue, handling: proposal.handling + (circumstances.institutionNotice.map { [$0.rawValue] } ?? []),
                           suspensionMonths: proposal.suspensionMonths > 0 ? proposal.suspensionMonths : nil,
                           practitionerPoints: points,
                           fraud: record.violation.isFraud, legalBasis: proposal.article.citation, referToPolice: proposal.referToPolice,
                           publicOfficialsInvolved: circumstances.publicOfficialsInvolved, decidedAt: Date(), legalReviewer: record.decision.legalOpinion?.reviewer,
                           traceabilityCodes: findings.traceCodes, typical: circumstances.typical,
                           source: (record.source?.kind ?? .claimReview).rawValue, sourceReference: record.source?.reference)
    }
}

extension Proposal {
    /// The measures in the contract's words (recover, fine, suspension, termination, referral).
    var handling: [String] {
        [(recoverAmount > 0, "recover"), (fineAmount > 0, "fine"), (suspensionMonths > 0, "suspension"),
         (terminateAgreement, "termination"), (referToPolice, "referral")].filter(\.0).map(\.1)
    }
}

extension PartyKind {
    /// The kind as `review.outcomes` names it; a pharmacy is a designated institution there too.
    var wireName: String { self == .pharmacy ? "institution" : rawValue }
}

extension Seriousness {
    /// 情节 as the point schedule weighs it within a conduct's band.
    var handlingWeight: HandlingWeight {
        switch self {
        case .minor: .lighter
        case .general: .ordinary
        case .serious: .heavier
        }
    }
}
