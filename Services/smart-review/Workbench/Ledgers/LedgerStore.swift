import Foundation
import Persistence
import PostgresNIO
import ReviewWorkflow

/// The ledgers' SQL: the institutions' answers and refunds (申辩, 主动退回), the published problem lists
/// (问题清单), the rectifications of the clear-to-zero ledger (清零台账) and the institution file (一院一档).
struct LedgerStore: Sendable {
    let database: Database
    var schema: String { database.schema }

    /// Stores the next version of a region's list for the month. The lock serialises versions of
    /// concurrent publications instead of failing one on the key.
    func publishProblemList(_ problems: [TypicalProblem], period: String, by reviewer: Reviewer,
                            on connection: PostgresConnection) async throws -> PublishedProblemList {
        let json = try jsonText(problems)
        try await connection.query("LOCK TABLE \(unescaped: schema).problem_lists IN SHARE ROW EXCLUSIVE MODE", logger: database.logger)
        let rows = try await connection.query("""
            INSERT INTO \(unescaped: schema).problem_lists (admdvs, period, version, problems, published_by)
            SELECT \(reviewer.admdvs), \(period), COALESCE(max(version), 0) + 1, \(json)::jsonb, \(reviewer.user)
            FROM \(unescaped: schema).problem_lists WHERE admdvs = \(reviewer.admdvs) AND period = \(period)
            RETURNING version, published_at
            """, logger: database.logger)
        for try await (version, at) in rows.decode((Int, Date).self) {
            return PublishedProblemList(admdvs: reviewer.admdvs, period: period, version: version, problems: problems,
                                        publishedBy: reviewer.user, publishedAt: at)
        }
        throw WorkbenchError.conflict("the problem list was not stored")
    }

    /// Every published list (of one month when given), newest first.
    func problemLists(period: String?, on connection: PostgresConnection) async throws -> [PublishedProblemList] {
        let rows = try await connection.query("""
            SELECT admdvs, period, version, problems::text, published_by, published_at FROM \(unescaped: schema).problem_lists
            WHERE \(period)::text IS NULL OR period = \(period) ORDER BY period DESC, admdvs, version DESC
            """, logger: database.logger)
        var lists: [PublishedProblemList] = []
        for try await (region, period, version, problems, by, at) in rows.decode((String, String, Int, String, String, Date).self) {
            let decoded = try JSONDecoder().decode([TypicalProblem].self, from: Data(problems.utf8))
            lists.append(PublishedProblemList(admdvs: region, period: period, version: version, problems: decoded, publishedBy: by, publishedAt: at))
        }
        return lists
    }

    /// Each finding on an item whose final decision confirmed it during [start, end), in the reviewer's region.
    func confirmedProblems(from start: Date, to end: Date, in reviewer: Reviewer,
                           on connection: PostgresConnection) async throws -> [ConfirmedProblem] {
        let rows = try await connection.query("""
            SELECT f.rule_id, COALESCE(f.body->>'rule_name', f.rule_id), i.medins_id, i.claim_id, f.amount::text
            FROM \(unescaped: schema).review_items i
            JOIN LATERAL (SELECT decision, decided_at FROM \(unescaped: schema).review_decisions x WHERE x.item_id = i.item_id
                          ORDER BY level DESC LIMIT 1) d ON true
            JOIN \(unescaped: schema).findings f ON f.claim_id = i.claim_id
            WHERE i.state = \(ItemState.decided.rawValue) AND d.decision = 'confirmed' AND d.decided_at >= \(start) AND d.decided_at < \(end)
              AND i.admdvs LIKE \(reviewer.scopePattern)
            """, logger: database.logger)
        var problems: [ConfirmedProblem] = []
        for try await (rule, title, medins, claim, amount) in rows.decode((String, String, String, String, String).self) {
            problems.append(ConfirmedProblem(ruleID: rule, title: title, institutionID: medins, claimID: claim, amount: Decimal(string: amount) ?? 0))
        }
        return problems
    }
}

extension LedgerStore {
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
    func insertAnswer(_ answer: InstitutionAnswer, medins: String, item: Int64?, caseID: String?, key: String?,
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
            guard same else { throw WorkbenchError.refusedInput("Idempotency-Key \(key ?? "") was used for another answer") }
            return AnswerRecord(answerId: id, medinsId: medins, itemId: item, caseId: caseID, text: answer.text, evidence: answer.evidence,
                                refund: answer.refund, answeredBy: reviewer.user, answeredAt: at)
        }
        throw WorkbenchError.conflict("the answer was not stored")
    }
}
