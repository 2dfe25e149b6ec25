import Foundation
import PostgresNIO
import ReviewWorkflow

/// The supervisor's rectification order on a case: the institution's responsible person and, if not the default, the days.
struct RectificationOrder: Decodable, Sendable {
    var responsible: String
    var days: Int?
}

/// The institution's report (整改报告) with its evidence.
struct RectificationReport: Decodable, Sendable {
    var text: String
    var evidence: [String]?
}

/// The supervisor's check of a report: accepted closes the item (清零), rejected reopens it with the reason.
struct RectificationReview: Decodable, Sendable {
    var accepted: Bool
    var opinion: String?
}

extension Workbench {
    /// Turns each problem (rule) confirmed in the case into an open rectification item with owner and deadline; once per case.
    func orderRectifications(_ caseID: String, _ order: RectificationOrder, by reviewer: Reviewer) async throws -> [RectificationRecord] {
        let responsible = order.responsible.trimmingCharacters(in: .whitespaces)
        guard !responsible.isEmpty else { throw WorkbenchError.invalid("responsible: the institution's responsible person is required") }
        let days = order.days ?? rectificationDays
        guard (1...365).contains(days) else { throw WorkbenchError.invalid("days: must lie within 1...365") }
        return try await perform(reviewer, "rectification.ordered", subject: "case:\(caseID)") { connection in
            let record = try await cases.load(caseID, on: connection)
            try reviewer.requireScope(record.admdvs)
            let deadline = Rectification.deadline(orderedAt: Date(), days: days)
            let count = try await ledgers.orderRectifications(of: record, responsible: responsible, deadline: deadline, by: reviewer, on: connection)
            guard count > 0 else { throw WorkbenchError.conflict("case \(caseID) has its rectifications ordered already") }
            let items = try await ledgers.rectifications(RectificationFilter(caseID: caseID), for: reviewer, on: connection)
            return (items, ["responsible": responsible, "deadline": "\(deadline)", "items": items.map { String($0.rectificationId) }.joined(separator: ",")])
        }
    }

    /// The institution reports its rectification of an open item.
    func reportRectification(_ id: Int64, _ report: RectificationReport, by reviewer: Reviewer) async throws -> RectificationRecord {
        let text = report.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw WorkbenchError.invalid("text: the report says what was rectified") }
        let answer = try ledgerInput { try InstitutionAnswer(text: text, evidence: report.evidence, refund: nil) }
        return try await changeRectification(id, "rectification.reported", by: reviewer) { record, rule in
            try rule.report(at: Date())
            record.report = answer.text
            record.evidence = answer.evidence
            return ["evidence": answer.evidence.joined(separator: ",")]
        }
    }

    /// The supervisor accepts (closes) or rejects (reopens) a reported item; a rejection needs its reason.
    func reviewRectification(_ id: Int64, _ review: RectificationReview, by reviewer: Reviewer) async throws -> RectificationRecord {
        let opinion = (review.opinion ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard review.accepted || !opinion.isEmpty else { throw WorkbenchError.invalid("opinion: a rejection needs its reason") }
        return try await changeRectification(id, "rectification.reviewed", by: reviewer) { record, rule in
            try rule.review(accepted: review.accepted)
            record.reviewedBy = reviewer.user
            record.opinion = opinion
            return ["accepted": "\(review.accepted)", "opinion": opinion]
        }
    }

    /// The ledger as the caller may see it; `overdueOnly` surfaces what is past its deadline and not cleared.
    func rectificationLedger(_ filter: RectificationFilter, by reviewer: Reviewer) async throws -> [RectificationRecord] {
        try await perform(reviewer, "rectification.listed", subject: "rectifications:\(filter.medins ?? reviewer.medinsID ?? reviewer.admdvs)") { connection in
            let items = try await ledgers.rectifications(filter, for: reviewer, on: connection)
            return (items, ["items": "\(items.count)", "overdue_only": "\(filter.overdueOnly)"])
        }
    }

    private func changeRectification(_ id: Int64, _ action: String, by reviewer: Reviewer,
                                     _ change: @escaping @Sendable (inout RectificationRecord, inout Rectification) throws -> [String: String]) async throws -> RectificationRecord {
        try await perform(reviewer, action, subject: "rectification:\(id)") { connection in
            var record = try await ledgers.rectification(id, for: reviewer, on: connection)
            var rule = record.rule
            let details: [String: String]
            do { details = try change(&record, &rule) } catch RectificationError.invalidTransition(let from, let action) {
                throw WorkbenchError.conflict("a \(from.rawValue) rectification cannot take \(action)")
            }
            record.state = rule.state
            record.reportedAt = rule.reportedAt
            record.overdue = rule.isOverdue(at: Date())
            try await ledgers.save(record, on: connection)
            return (record, details.merging(["state": record.state.rawValue]) { new, _ in new })
        }
    }
}
