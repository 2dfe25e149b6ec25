import Foundation
import PostgresNIO
import ReviewWorkflow

/// An institution's answer (申辩) as posted: text, evidence references and possibly a refund (主动退回).
struct AnswerRequest: Decodable, Sendable {
    struct Refund: Decodable, Sendable {
        var amount: Decimal
        var refundedOn: String
    }

    var text: String?
    var evidence: [String]?
    var refund: Refund?

    func validated(today: Date = Date()) throws -> InstitutionAnswer {
        try ledgerInput {
            try InstitutionAnswer(text: text, evidence: evidence,
                                  refund: try refund.map { try VoluntaryRefund(amount: $0.amount, refundedOn: $0.refundedOn, today: today) })
        }
    }
}

/// An answer as stored, on an item or on a case.
struct AnswerRecord: Codable, Sendable {
    var answerId: Int64
    var medinsId: String
    var itemId: Int64?
    var caseId: String?
    var text: String
    var evidence: [String]
    var refund: VoluntaryRefund?
    var answeredBy: String
    var answeredAt: Date
}

extension Workbench {
    /// The institution answers a finding on one of its items.
    func answerItem(_ id: Int64, _ answer: InstitutionAnswer, key: String? = nil, by reviewer: Reviewer) async throws -> AnswerRecord {
        try await perform(reviewer, "item.answered", subject: "item:\(id)") { connection in
            let row = try await queue.item(id, on: connection)
            try reviewer.requireInstitution(row.medinsId)
            let record = try await ledgers.insertAnswer(answer, medins: row.medinsId, item: id, caseID: nil, key: key, by: reviewer, on: connection)
            return (record, record.auditDetails)
        }
    }

    /// The institution answers a case opened against it.
    func answerCase(_ caseID: String, _ answer: InstitutionAnswer, key: String? = nil, by reviewer: Reviewer) async throws -> AnswerRecord {
        try await perform(reviewer, "case.answered", subject: "case:\(caseID)") { connection in
            let record = try await cases.load(caseID, on: connection)
            try reviewer.requireInstitution(record.medinsId)
            let answer = try await ledgers.insertAnswer(answer, medins: record.medinsId, item: nil, caseID: caseID, key: key, by: reviewer, on: connection)
            return (answer, answer.auditDetails)
        }
    }
}

extension AnswerRecord {
    var auditDetails: [String: String] {
        ["answer": "\(answerId)", "medins": medinsId, "evidence": evidence.joined(separator: ","),
         "refund_amount": refund.map { "\($0.amount)" } ?? "", "refunded_on": refund?.refundedOn ?? ""]
    }
}
