import CreditRules
import Events
import HISContract
import Logging
import PostgresNIO

/// Institutions' suspensions of their service agreement (暂停医保协议), one per case, published on
/// `credit.changes` as field `agreement`: `active` → `suspended` when a case decides it, `suspended` → `active`
/// when its period is over (`endDue`, run by `CreditExpiryJob`). intake and smart-review read a suspended
/// agreement as full review (逐单审核) until then.
struct AgreementStore: Sendable {
    let schema: String

    /// Starts the suspension the case set. Published until the latest end of the institution's suspensions in
    /// force, since a follower's register keeps one agreement suspension per institution.
    func suspend(_ institution: String, decided: CaseDecided, from date: CivilDate, cause: Cause, connection: PostgresConnection,
                 logger: Logger) async throws -> [CreditChanged] {
        let asked = decided.suspensionMonths ?? AgreementSuspension.allowedMonths.lowerBound
        let suspension = AgreementSuspension(institution: institution, caseId: decided.caseId, from: date, months: asked)
        let running = try await list(institution, on: connection, logger: logger).filter { $0.liftedOn == nil && $0.until > date.description }
        let inserted = try await connection.query("""
            INSERT INTO \(unescaped: schema).agreement_suspensions (medins_id, case_id, from_date, until_date, months)
            VALUES (\(institution), \(decided.caseId), \(date.description), \(suspension.until.description), \(suspension.months))
            ON CONFLICT DO NOTHING RETURNING 1
            """, logger: logger)
        var isNew = false
        for try await _ in inserted { isNew = true }
        guard isNew else { return [] }
        let until = ([suspension.until] + running.compactMap { CivilDate($0.until) }).max() ?? suspension.until
        var reasons = ["案件 \(decided.caseId) 暂停医保协议 \(suspension.months) 个月 / service agreement suspended for \(suspension.months) months"]
        if suspension.months != asked {
            reasons.append("决定期限 \(asked) 个月超出 1-12 个月范围，按 \(suspension.months) 个月执行 / period brought into 1-12 months")
        }
        let factory = ChangeFactory(subject: CreditSubject(kind: .institution, id: institution), cause: cause, date: date)
        return [factory.make("agreement", before: running.isEmpty ? "active" : "suspended", after: "suspended", reasons: reasons, until: until)]
    }

    /// Ends the suspensions whose period is over by `date`; an institution with none left in force gets its
    /// agreement active again from the day the last one ended.
    func endDue(on date: CivilDate, connection: PostgresConnection, logger: Logger) async throws -> [CreditChanged] {
        let rows = try await connection.query("""
            UPDATE \(unescaped: schema).agreement_suspensions s SET ended_on = s.until_date
            WHERE s.ended_on IS NULL AND s.until_date <= \(date.description)
            RETURNING s.medins_id, s.case_id, s.until_date,
              EXISTS (SELECT 1 FROM \(unescaped: schema).agreement_suspensions o WHERE o.medins_id = s.medins_id
                      AND o.ended_on IS NULL AND o.until_date > \(date.description)) AS still,
              (SELECT region FROM \(unescaped: schema).standing g WHERE g.subject_kind = 'institution' AND g.subject_id = s.medins_id)
            """, logger: logger)
        var ended: [String: (caseId: String, on: String, region: String?)] = [:]
        for try await (institution, caseId, until, still, region) in rows.decode((String, String, String, Bool, String?).self) where !still {
            if until >= ended[institution]?.on ?? "" { ended[institution] = (caseId, until, region) }
        }
        return ended.sorted { $0.key < $1.key }.compactMap { institution, last in
            guard let day = CivilDate(last.on) else { return nil }
            let cause = Cause(id: "agreement-ended:\(last.caseId)", caseId: last.caseId, region: last.region)
            return ChangeFactory(subject: CreditSubject(kind: .institution, id: institution), cause: cause, date: day)
                .make("agreement", before: "suspended", after: "active",
                      reasons: ["案件 \(last.caseId) 暂停医保协议期满 / the suspension of the service agreement is over"])
        }
    }

    func list(_ institution: String, on connection: PostgresConnection, logger: Logger) async throws -> [SuspensionStore.Row] {
        try await SuspensionStore.rows(try await connection.query("""
            SELECT case_id, from_date, until_date, months, ended_on FROM \(unescaped: schema).agreement_suspensions
            WHERE medins_id = \(institution) ORDER BY from_date, case_id
            """, logger: logger))
    }
}
