import Foundation
import Hummingbird
import PostgresNIO
import ReviewWorkflow

/// What the supervisor states when opening a case (立案) from confirmed items of one institution.
struct OpenCaseRequest: Decodable, Sendable {
    var itemIds: [Int64]
    var kind: ViolationKind
    var seriousness: Seriousness?
    var intentToDefraud: Bool?
    var isFirstViolation: Bool?
    var voluntaryRefund: Bool?
    var selfReported: Bool?
    var correctedPromptly: Bool?
    var refusedToCorrect: Bool?
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
    /// The institution's answers and refunds considered (申辩), shown with the case; not part of the stored facts.
    var answers: [AnswerRecord]?
    var state: CaseState { decision.state }
}

/// Cases: opened by a supervisor, proposed by the discretion calculator (weighed by the institution's
/// credit grade as last published by credit; 1.0 while none is known), gated by legal review when
/// major, published once.
extension Workbench {
    func openCase(_ request: OpenCaseRequest, by reviewer: Reviewer) async throws -> CaseRecord {
        let caseID = "CASE-" + UUID().uuidString.prefix(13).lowercased()
        return try await perform(reviewer, "case.opened", subject: "case:\(caseID)") { connection in
            let (institution, region, amount) = try await confirmedItems(request.itemIds, by: reviewer, on: connection)
            // A refund recorded before the case covering the whole amount is 主动退回 unless the supervisor says otherwise.
            let answers = try await self.answers(items: request.itemIds, caseID: nil, on: connection)
            let refunded = request.voluntaryRefund ?? RefundCoverage.covers(amount, with: answers.compactMap(\.refund), before: Date())
            let grade = try await CreditStanding(database: database).grade(of: institution, on: connection)
            let violation = ViolationCase(kind: request.kind, amount: amount, intentToDefraud: request.intentToDefraud ?? false,
                                          isFirstViolation: request.isFirstViolation ?? true, voluntaryRefund: refunded,
                                          selfReported: request.selfReported ?? false, correctedPromptly: request.correctedPromptly ?? false,
                                          refusedToCorrect: request.refusedToCorrect ?? false, seriousness: request.seriousness ?? .general,
                                          creditFactor: CreditFactor.forGrade(grade))
            let proposal = try discretion { try PenaltyDiscretion().propose(violation) }
            let handlers = try await history(of: request.itemIds, on: connection).values
                .reduce(into: Set<String>()) { $0.formUnion($1.acts.map(\.reviewer)) }
            let record = CaseRecord(caseId: caseID, medinsId: institution, admdvs: region, violation: violation, proposal: proposal,
                                    decision: CaseDecision(caseID: caseID, proposal: proposal, proposedBy: reviewer.user, handledBy: handlers),
                                    answers: answers)
            try await insert(record, items: request.itemIds, by: reviewer, on: connection)
            return (record, ["items": request.itemIds.map(String.init).joined(separator: ","), "amount": "\(amount)",
                             "proposal": proposal.decision.summary, "major": "\(proposal.isMajor)", "voluntary_refund": "\(refunded)", "credit_grade": grade ?? "unknown",
                             "answers": answers.map { String($0.answerId) }.joined(separator: ",")])
        }
    }

    func depart(_ caseID: String, _ request: DepartureRequest, by reviewer: Reviewer) async throws -> CaseRecord {
        try await changeCase(caseID, "case.departed", by: reviewer) { record in
            record.proposal = try discretion { try PenaltyDiscretion().depart(from: record.proposal, to: request.decision, reason: request.reason) }
            try record.decision.revise(measures: record.proposal.measures, by: reviewer.user, at: Date())
            return ["decision": request.decision.summary, "reason": request.reason]
        }
    }

    func submit(_ caseID: String, by reviewer: Reviewer) async throws -> CaseRecord {
        try await changeCase(caseID, "case.submitted", by: reviewer) { record in
            try record.decision.submit(policy: .standard, by: reviewer.user, at: Date())
            return ["major": "\(record.decision.isMajor)", "reasons": record.decision.majorReasons.map(\.rawValue).joined(separator: ",")]
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
        record.answers = try await database.transaction { try await answers(items: [], caseID: caseID, on: $0) }
        return record
    }

    /// Loads the case locked and in scope, applies `change`, stores it; the state machine's refusals
    /// become answers (403 for a reviewer who handled the case, 409 for a wrong state).
    func changeCase(_ caseID: String, _ action: String, by reviewer: Reviewer,
                    _ change: @escaping @Sendable (inout CaseRecord) throws -> [String: String]) async throws -> CaseRecord {
        try await perform(reviewer, action, subject: "case:\(caseID)") { connection in
            var record = try await loadCase(caseID, on: connection)
            try reviewer.requireScope(record.admdvs)
            let details = try caseRules { try change(&record) }
            try await save(record, on: connection)
            return (record, details.merging(["state": record.state.rawValue]) { new, _ in new })
        }
    }

    /// The institution, region and confirmed amount of items that may form one case.
    private func confirmedItems(_ ids: [Int64], by reviewer: Reviewer,
                                on connection: PostgresConnection) async throws -> (String, String, Decimal) {
        let rows = try await connection.query("""
            SELECT i.item_id, i.medins_id, i.admdvs, i.state, d.decision, d.amount::text,
                   EXISTS (SELECT 1 FROM \(unescaped: schema).case_items c WHERE c.item_id = i.item_id)
            FROM \(unescaped: schema).review_items i
            JOIN LATERAL (SELECT decision, amount FROM \(unescaped: schema).review_decisions x WHERE x.item_id = i.item_id
                          ORDER BY level DESC LIMIT 1) d ON true
            WHERE i.item_id = ANY(\(ids)) FOR UPDATE OF i
            """, logger: database.logger)
        var institutions = Set<String>(), regions = Set<String>(), amount = Decimal(0), found = 0
        for try await (id, medins, region, state, decision, decided, inCase) in rows.decode((Int64, String, String, String, String, String?, Bool).self) {
            try reviewer.requireScope(region)
            guard state == "decided", decision == "confirmed", !inCase else {
                throw HTTPError(.conflict, message: "item \(id) is not a confirmed violation free for a case (\(state), \(decision))")
            }
            institutions.insert(medins)
            regions.insert(region)
            amount += Decimal(string: decided ?? "0") ?? 0
            found += 1
        }
        guard found == Set(ids).count, found > 0 else { throw HTTPError(.notFound, message: "some items do not exist or are undecided") }
        guard institutions.count == 1, let institution = institutions.first, let region = regions.first else {
            throw HTTPError(.badRequest, message: "a case covers the items of one institution")
        }
        return (institution, region, amount)
    }

    func discretion<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as DiscretionError {
            throw HTTPError(.badRequest, message: "the discretion benchmark refuses this: \(error)")
        }
    }

    func caseRules<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as CaseDecisionError {
            switch error {
            case .reviewerNotIndependent(let who): throw Refusal(reason: "\(who) handled this case and may not do its legal review")
            case .missingOpinion: throw HTTPError(.badRequest, message: "a refusal needs a written opinion")
            case .invalidTransition(let from, let action): throw HTTPError(.conflict, message: "a \(from.rawValue) case cannot take \(action)")
            }
        }
    }
}
