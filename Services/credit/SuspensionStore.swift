import CreditRules
import Events
import HISContract
import Logging
import PostgresNIO

/// Insured persons' suspensions of direct settlement (暂停联网结算), one per case.
struct SuspensionStore: Sendable {
    let schema: String

    struct Row: Sendable, Codable {
        var caseId: String
        var from: String
        var until: String
        var months: Int
        /// The day it ended early (objection upheld) or, for an agreement, the day its period was over.
        var liftedOn: String?
    }

    /// Starts the suspension the case set; a period outside 3-12 months is brought into that range
    /// and the reason says so (the period is the decision's, the range the regulation's).
    func suspend(_ psnNo: String, decided: CaseDecided, from date: CivilDate, cause: Cause, connection: PostgresConnection,
                 logger: Logger) async throws -> [CreditChanged] {
        let asked = decided.suspensionMonths ?? DirectSettlementSuspension.allowedMonths.lowerBound
        let allowed = DirectSettlementSuspension.allowedMonths
        let months = min(max(asked, allowed.lowerBound), allowed.upperBound)
        let suspension = try DirectSettlementSuspension(psnNo: psnNo, caseId: decided.caseId, from: date, months: months)
        let inserted = try await connection.query("""
            INSERT INTO \(unescaped: schema).suspensions (psn_no, case_id, from_date, until_date, months)
            VALUES (\(psnNo), \(decided.caseId), \(date.description), \(suspension.until.description), \(months))
            ON CONFLICT DO NOTHING RETURNING 1
            """, logger: logger)
        var isNew = false
        for try await _ in inserted { isNew = true }
        guard isNew else { return [] }
        var reasons = ["案件 \(decided.caseId) 暂停联网结算 \(months) 个月 / direct settlement suspended for \(months) months"]
        if months != asked { reasons.append("决定期限 \(asked) 个月超出 3-12 个月范围，按 \(months) 个月执行 / period brought into 3-12 months") }
        let factory = ChangeFactory(subject: CreditSubject(kind: .insuredPerson, id: psnNo), cause: cause, date: date)
        return [factory.make("suspension", before: "active", after: "suspended", reasons: reasons, until: suspension.until)]
    }

    /// Lifts the case's suspension from `date` (objection upheld).
    func lift(_ psnNo: String, caseId: String, on date: CivilDate, reason: String, cause: Cause, connection: PostgresConnection,
              logger: Logger) async throws -> [CreditChanged] {
        let rows = try await connection.query("""
            UPDATE \(unescaped: schema).suspensions SET lifted_on = \(date.description)
            WHERE psn_no = \(psnNo) AND case_id = \(caseId) AND lifted_on IS NULL AND until_date > \(date.description) RETURNING 1
            """, logger: logger)
        var lifted = false
        for try await _ in rows { lifted = true }
        guard lifted else { return [] }
        let factory = ChangeFactory(subject: CreditSubject(kind: .insuredPerson, id: psnNo), cause: cause, date: date)
        return [factory.make("suspension", before: "suspended", after: "active", reasons: [reason])]
    }

    func list(_ psnNo: String, on connection: PostgresConnection, logger: Logger) async throws -> [Row] {
        let rows = try await connection.query("""
            SELECT case_id, from_date, until_date, months, lifted_on FROM \(unescaped: schema).suspensions
            WHERE psn_no = \(psnNo) ORDER BY from_date
            """, logger: logger)
        return try await Self.rows(rows)
    }

    /// Suspension periods as the file API shows them (this store's and `AgreementStore`'s), read from
    /// `case_id, from_date, until_date, months, lifted_on`.
    static func rows(_ rows: PostgresRowSequence) async throws -> [Row] {
        var result: [Row] = []
        for try await (caseId, from, until, months, lifted) in rows.decode((String, String, String, Int, String?).self) {
            result.append(Row(caseId: caseId, from: from, until: until, months: months, liftedOn: lifted))
        }
        return result
    }
}
