import Foundation
import Hummingbird
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
            let record = try await insertAnswer(answer, medins: row.medinsId, item: id, caseID: nil, key: key, by: reviewer, on: connection)
            return (record, record.auditDetails)
        }
    }

    /// The institution answers a case opened against it.
    func answerCase(_ caseID: String, _ answer: InstitutionAnswer, key: String? = nil, by reviewer: Reviewer) async throws -> AnswerRecord {
        try await perform(reviewer, "case.answered", subject: "case:\(caseID)") { connection in
            let record = try await loadCase(caseID, on: connection)
            try reviewer.requireInstitution(record.medinsId)
            let answer = try await insertAnswer(answer, medins: record.medinsId, item: nil, caseID: caseID, key: key, by: reviewer, on: connection)
            return (answer, answer.auditDetails)
        }
    }

    /// The answers on `items`, on the case and on the case's items, oldest first.
    func answers(items: [Int64], caseID: String?, on connection: PostgresConnection) async throws -> [AnswerRecord] {
        let rows = try await connection.query("""
            SELECT answer_id, medins_id, item_id, case_id, text, evidence::text, refund_amount::text, to_char(refunded_on, 'YYYY-MM-DD'),
                   answered_by, answered_at FROM \(unescaped: schema).institution_answers
            WHERE item_id = ANY(\(items)) OR case_id = \(caseID)
               OR item_id IN (SELECT item_id FROM \(unescaped: schema).case_items WHERE case_id = \(caseID))
            ORDER BY answer_id
            """, logger: database.logger)
        var answers: [AnswerRecord] = []
        for try await (id, medins, item, caseID, text, evidence, amount, day, by, at)
            in rows.decode((Int64, String, Int64?, String?, String, String, String?, String?, String, Date).self) {
            let refund = amount.flatMap { amount in day.flatMap { try? VoluntaryRefund(amount: Decimal(string: amount) ?? 0, refundedOn: $0, today: .distantFuture) } }
            answers.append(AnswerRecord(answerId: id, medinsId: medins, itemId: item, caseId: caseID, text: text,
                                        evidence: stringList(evidence) ?? [], refund: refund, answeredBy: by, answeredAt: at))
        }
        return answers
    }

    /// Stores the answer once per `Idempotency-Key` of the institution: an institution's system that
    /// sends it again (no answer seen, a timeout) gets the first one back, not a second answer.
    private func insertAnswer(_ answer: InstitutionAnswer, medins: String, item: Int64?, caseID: String?, key: String?,
                              by reviewer: Reviewer, on connection: PostgresConnection) async throws -> AnswerRecord {
        let amount = answer.refund.map { "\($0.amount)" }, evidence = try jsonText(answer.evidence)
        let rows = try await connection.query("""
            INSERT INTO \(unescaped: schema).institution_answers
              (medins_id, item_id, case_id, text, evidence, refund_amount, refunded_on, answered_by, idempotency_key)
            VALUES (\(medins), \(item), \(caseID), \(answer.text), \(evidence)::jsonb, \(amount)::numeric,
                    \(answer.refund?.refundedOn)::date, \(reviewer.user), \(key))
            ON CONFLICT (medins_id, idempotency_key) DO UPDATE SET idempotency_key = EXCLUDED.idempotency_key
            RETURNING answer_id, answered_at, item_id IS NOT DISTINCT FROM \(item) AND case_id IS NOT DISTINCT FROM \(caseID) AND text = \(answer.text)
            """, logger: database.logger)
        for try await (id, at, same) in rows.decode((Int64, Date, Bool).self) {
            guard same else { throw Refusal(status: .unprocessableContent, reason: "Idempotency-Key \(key ?? "") was used for another answer") }
            return AnswerRecord(answerId: id, medinsId: medins, itemId: item, caseId: caseID, text: answer.text, evidence: answer.evidence,
                                refund: answer.refund, answeredBy: reviewer.user, answeredAt: at)
        }
        throw HTTPError(.internalServerError, message: "the answer was not stored")
    }
}

extension AnswerRecord {
    var auditDetails: [String: String] {
        ["answer": "\(answerId)", "medins": medinsId, "evidence": evidence.joined(separator: ","),
         "refund_amount": refund.map { "\($0.amount)" } ?? "", "refunded_on": refund?.refundedOn ?? ""]
    }
}
