import Foundation
import PostgresNIO
import ReviewWorkflow

/// What the supervisor states when opening a case (立案): from confirmed items of one institution, or
/// from another source (an inspection, a lead, a report) naming the institution, the amount to recover
/// the source established and the evidence attached.
struct OpenCaseRequest: Decodable, Sendable {
    var itemIds: [Int64]?
    /// 案件来源; absent: claim review (the items).
    var source: CaseSource?
    var medinsId: String?
    var amount: Decimal?
    var evidence: [AttachedEvidence]?
    var kind: ViolationKind
    var seriousness: Seriousness?
    var intentToDefraud: Bool?
    var isFirstViolation: Bool?
    var voluntaryRefund: Bool?
    var selfReported: Bool?
    var correctedPromptly: Bool?
    var refusedToCorrect: Bool?
    /// The offender and the responsible persons with their conduct (当事人、相关责任人员), chosen from the
    /// people the evidence names; when absent, the institution is the offender of `kind`.
    var parties: [NamedParty]?
    /// 涉及公职人员 (行纪衔接).
    var publicOfficialsInvolved: Bool?
    /// 约谈, 函询 or 责令整改 as the institution's notice.
    var institutionNotice: InstitutionNotice?
}

/// What the supervisor records about a case before publication; absent fields keep their value.
struct CircumstancesRequest: Decodable, Sendable {
    var publicOfficialsInvolved: Bool?
    var institutionNotice: InstitutionNotice?
    var typical: Bool?

    func applied(to current: CaseCircumstances) -> CaseCircumstances {
        CaseCircumstances(publicOfficialsInvolved: publicOfficialsInvolved ?? current.publicOfficialsInvolved,
                          institutionNotice: institutionNotice ?? current.institutionNotice, typical: typical ?? current.typical)
    }
}

/// The supervisor names (again) the parties of a case not yet submitted.
struct PartiesRequest: Decodable, Sendable {
    var parties: [NamedParty]
}

/// A supervisor's departure from the calculated proposal, with the written reason (书面说明理由).
struct DepartureRequest: Decodable, Sendable {
    var fineMultiple: Decimal?
    var fineAmount: Decimal?
    var suspensionMonths: Int?
    var terminateAgreement: Bool?
    var referToPolice: Bool?
    var reason: String

    var decision: PenaltyDecision {
        let fine: Fine = if let fineMultiple { .multiple(fineMultiple) } else if let fineAmount { .amount(fineAmount) } else { .none }
        return PenaltyDecision(fine: fine, suspensionMonths: suspensionMonths ?? 0, terminateAgreement: terminateAgreement ?? false,
                               referToPolice: referToPolice ?? false)
    }
}

struct LegalReviewRequest: Decodable, Sendable {
    var approved: Bool
    var opinion: String?
}

/// A case as stored: the facts, the (possibly departed) proposal and the decision under the legal gate.
struct CaseRecord: Codable, Sendable {
    var caseId: String
    var medinsId: String
    var admdvs: String
    var violation: ViolationCase
    var proposal: Proposal
    var decision: CaseDecision
    /// The offender and responsible persons with their conduct; nil on cases opened before parties were named.
    var parties: CaseParties?
    /// The people the case's evidence names, from whom the parties are chosen.
    var evidence: EvidencePeople?
    var circumstances: CaseCircumstances?
    /// The penalty policy version the proposal and the legal gate used (nil on cases from before it was data).
    var policyVersion: Int?
    /// What each agency the case was sent to acknowledged and decided (notification.feedback), shown with the case.
    var agencies: [AgencyFeedback]?
    /// The institution's answers and refunds considered (申辩), shown with the case; not part of the stored facts.
    var answers: [AnswerRecord]?
    /// 案件来源 (nil on cases from before sources: claim review).
    var source: CaseSource?
    /// The evidence a case from outside the claims stands on.
    var attachments: [AttachedEvidence]?
    var state: CaseState { decision.state }
}

/// Cases: opened by a supervisor, proposed by the discretion calculator (weighed by the institution's
/// credit grade as last published by credit; 1.0 while none is known), gated by legal review when
/// major, published once.
extension Workbench {
    func openCase(_ request: OpenCaseRequest, by reviewer: Reviewer) async throws -> CaseRecord {
        let caseID = "CASE-" + UUID().uuidString.prefix(13).lowercased()
        return try await perform(reviewer, "case.opened", subject: "case:\(caseID)") { connection in
            let basis = try await basis(of: request, by: reviewer, on: connection)
            let (institution, amount, answers) = (basis.institution, basis.amount, basis.answers)
            // A refund recorded before the case covering the whole amount is 主动退回 unless the supervisor says otherwise.
            let refunded = request.voluntaryRefund ?? RefundCoverage.covers(amount, with: answers.compactMap(\.refund), before: Date())
            let grade = try await CreditStanding(database: database).grade(of: institution, on: connection)
            // 初次违法 is read from the history: a published case before this one makes it a repeat; the
            // supervisor may still say false for violations the platform does not hold.
            let earlier = try await cases.publishedCases(of: institution, on: connection)
            let firstViolation = earlier.isEmpty && (request.isFirstViolation ?? true)
            let policy = penaltyPolicy.value
            let violation = ViolationCase(kind: request.kind, amount: amount, intentToDefraud: request.intentToDefraud ?? false,
                                          isFirstViolation: firstViolation, voluntaryRefund: refunded,
                                          selfReported: request.selfReported ?? false, correctedPromptly: request.correctedPromptly ?? false,
                                          refusedToCorrect: request.refusedToCorrect ?? false, seriousness: request.seriousness ?? .general,
                                          creditFactor: CreditFactor.forGrade(grade))
            let proposal = try discretion { try policy.calculator.propose(violation) }
            let parties = try self.parties(request.parties, kind: request.kind, evidence: basis.people)
            let record = CaseRecord(caseId: caseID, medinsId: institution, admdvs: basis.region, violation: violation, proposal: proposal,
                                    decision: CaseDecision(caseID: caseID, proposal: proposal, proposedBy: reviewer.user, handledBy: basis.handlers),
                                    parties: parties, evidence: basis.people,
                                    circumstances: CaseCircumstances(publicOfficialsInvolved: request.publicOfficialsInvolved ?? false,
                                                                     institutionNotice: request.institutionNotice),
                                    policyVersion: policy.version, answers: answers, source: basis.source, attachments: basis.attachments)
            try await cases.insert(record, items: basis.items, by: reviewer, on: connection)
            return (record, ["items": basis.items.map(String.init).joined(separator: ","), "amount": "\(amount)",
                             "proposal": proposal.decision.summary, "major": "\(proposal.isMajor)", "voluntary_refund": "\(refunded)", "credit_grade": grade ?? "unknown",
                             "answers": answers.map { String($0.answerId) }.joined(separator: ","), "parties": parties.auditText,
                             "policy_version": "\(policy.version)", "first_violation": "\(firstViolation)",
                             "earlier_cases": earlier.joined(separator: ","), "source": basis.source.kind.rawValue,
                             "source_reference": basis.source.reference,
                             "evidence": (basis.attachments ?? []).map(\.sha256).joined(separator: ",")])
        }
    }

    /// Names the parties again while the case is only proposed (before submission and legal review).
    func nameParties(_ caseID: String, _ request: PartiesRequest, by reviewer: Reviewer) async throws -> CaseRecord {
        try await changeCase(caseID, "case.parties_named", by: reviewer) { record in
            guard record.state == .proposed else { throw WorkbenchError.conflict("a \(record.state.rawValue) case keeps its parties") }
            guard let evidence = record.evidence else { throw WorkbenchError.conflict("case \(caseID) was opened before parties were named") }
            let parties = try self.parties(request.parties, kind: record.violation.kind, evidence: evidence)
            record.parties = parties
            return ["parties": parties.auditText]
        }
    }

    /// Records officials involved, the institution's notice and whether the case is typical, until it is published.
    func recordCircumstances(_ caseID: String, _ request: CircumstancesRequest, by reviewer: Reviewer) async throws -> CaseRecord {
        try await changeCase(caseID, "case.circumstances", by: reviewer) { record in
            guard record.state != .published else { throw WorkbenchError.conflict("case \(caseID) is published; its circumstances stand") }
            let circumstances = request.applied(to: record.circumstances ?? CaseCircumstances())
            record.circumstances = circumstances
            return ["public_officials_involved": "\(circumstances.publicOfficialsInvolved)",
                    "institution_notice": circumstances.institutionNotice?.rawValue ?? "", "typical": "\(circumstances.typical)"]
        }
    }

    /// The parties as named, checked against the evidence; by default the institution as offender of
    /// `kind` — except for an individual's conduct (第四十一条), which needs the individual named.
    private func parties(_ named: [NamedParty]?, kind: ViolationKind, evidence: EvidencePeople) throws -> CaseParties {
        guard let named else {
            guard kind.article != .article41 else {
                throw WorkbenchError.invalid("parties: \(kind.rawValue) is an individual's conduct (第四十一条); name the insured person as offender")
            }
            return .institutionOnly(evidence.institution, kind: evidence.institutionIsPharmacy ? .pharmacy : .institution, conduct: kind)
        }
        do { return try CaseParties(named, evidence: evidence) } catch let error as PartyError { throw WorkbenchError.invalid(error.description) }
    }

    func depart(_ caseID: String, _ request: DepartureRequest, by reviewer: Reviewer) async throws -> CaseRecord {
        try await changeCase(caseID, "case.departed", by: reviewer) { record in
            let policy = penaltyPolicy.value
            record.proposal = try discretion { try policy.calculator.depart(from: record.proposal, to: request.decision, reason: request.reason) }
            record.policyVersion = policy.version
            try record.decision.revise(measures: record.proposal.measures, by: reviewer.user, at: Date())
            return ["decision": request.decision.summary, "reason": request.reason, "policy_version": "\(policy.version)"]
        }
    }

    func submit(_ caseID: String, by reviewer: Reviewer) async throws -> CaseRecord {
        try await changeCase(caseID, "case.submitted", by: reviewer) { record in
            let policy = penaltyPolicy.value
            try record.decision.submit(policy: policy.majorDecisions, by: reviewer.user, at: Date())
            record.policyVersion = policy.version
            return ["policy_version": "\(policy.version)", "major": "\(record.decision.isMajor)", "reasons": record.decision.majorReasons.map(\.rawValue).joined(separator: ",")]
        }
    }

    func legalReview(_ caseID: String, _ request: LegalReviewRequest, by reviewer: Reviewer) async throws -> CaseRecord {
        try await changeCase(caseID, "case.legal_review", by: reviewer) { record in
            try record.decision.recordLegalReview(approved: request.approved, reviewer: reviewer.user, opinion: request.opinion ?? "", at: Date())
            return ["approved": "\(request.approved)", "opinion": request.opinion ?? ""]
        }
    }

    func showCase(_ caseID: String, by reviewer: Reviewer) async throws -> CaseRecord {
        var record = try await changeCase(caseID, "case.viewed", by: reviewer) { _ in [:] }
        record.answers = try await database.transaction { try await ledgers.answers(items: [], caseID: caseID, on: $0) }
        record.agencies = try await database.transaction { try await cases.agencyFeedback(caseID, on: $0) }
        return record
    }

    /// Loads the case locked and in scope, applies `change`, stores it; the state machine's refusals
    /// become domain errors (a refusal for a reviewer who handled the case, a conflict for a wrong state).
    func changeCase(_ caseID: String, _ action: String, by reviewer: Reviewer,
                    _ change: @escaping @Sendable (inout CaseRecord) throws -> [String: String]) async throws -> CaseRecord {
        try await perform(reviewer, action, subject: "case:\(caseID)") { connection in
            var record = try await cases.load(caseID, on: connection)
            try reviewer.requireScope(record.admdvs)
            let details = try caseRules { try change(&record) }
            try await cases.save(record, on: connection)
            return (record, details.merging(["state": record.state.rawValue]) { new, _ in new })
        }
    }

    func discretion<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as DiscretionError {
            throw WorkbenchError.malformed("the discretion benchmark refuses this: \(error)")
        }
    }

    func caseRules<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as CaseDecisionError {
            switch error {
            case .reviewerNotIndependent(let who): throw WorkbenchError.refused("\(who) handled this case and may not do its legal review")
            case .missingOpinion: throw WorkbenchError.malformed("a refusal needs a written opinion")
            case .invalidTransition(let from, let action): throw WorkbenchError.conflict("a \(from.rawValue) case cannot take \(action)")
            }
        }
    }
}

extension CaseParties {
    /// The parties as the audit entry keeps them: `role:kind:id=conduct+conduct`, comma-separated.
    var auditText: String {
        parties.map { "\($0.role.rawValue):\($0.kind.rawValue):\($0.id)=\($0.conduct.map(\.rawValue).joined(separator: "+"))" }
            .joined(separator: ",")
    }
}
