import CreditRules
import Events
import HISContract
import Logging
import PostgresNIO

/// Practitioners' payment-eligibility ledgers (table `point_actions`): deductions and reversals,
/// replayed into a `PointsLedger` whenever the standing is needed, never edited.
struct PointsStore: Sendable {
    let schema: String

    private enum Action: Codable {
        case deduction(PointDeduction)
        case reversal(PointReversal)
    }

    func ledger(_ practitioner: String, on connection: PostgresConnection, logger: Logger) async throws -> PointsLedger {
        let rows = try await connection.query("""
            SELECT action::text FROM \(unescaped: schema).point_actions WHERE prac_codg = \(practitioner) ORDER BY seq
            """, logger: logger)
        var ledger = PointsLedger(practitionerCode: practitioner)
        for try await text in rows.decode(String.self) {
            switch try Stored.decode(Action.self, text) {
            case .deduction(let d): try ledger.apply(d)
            case .reversal(let r): try ledger.reverse(deductionId: r.deductionId, on: r.reversedOn, reason: r.reason)
            }
        }
        return ledger
    }

    /// Applies a deduction; returns the points and status changes it caused.
    func deduct(_ deduction: PointDeduction, practitioner: String, cause: Cause, on connection: PostgresConnection,
                logger: Logger) async throws -> [CreditChanged] {
        try await change(practitioner, on: deduction.decidedOn, actionID: deduction.id, action: .deduction(deduction),
                         cause: cause, reasons: [deduction.reason], connection: connection, logger: logger) { ledger in
            try ledger.apply(deduction)
        }
    }

    /// Reverses a deduction (objection upheld) from `date`; nothing when there is no such deduction.
    func reverse(deductionId: String, practitioner: String, on date: CivilDate, reason: String, cause: Cause,
                 connection: PostgresConnection, logger: Logger) async throws -> [CreditChanged] {
        let reversal = PointReversal(deductionId: deductionId, reversedOn: date, reason: reason)
        let existing = try await ledger(practitioner, on: connection, logger: logger)
        guard existing.deductions.contains(where: { $0.id == deductionId }) else { return [] }
        return try await change(practitioner, on: date, actionID: "reversal:\(deductionId)", action: .reversal(reversal),
                                cause: cause, reasons: [reason], connection: connection, logger: logger) { ledger in
            try ledger.reverse(deductionId: deductionId, on: date, reason: reason)
        }
    }

    private func change(_ practitioner: String, on date: CivilDate, actionID: String, action: Action, cause: Cause, reasons: [String],
                        connection: PostgresConnection, logger: Logger,
                        _ mutate: (inout PointsLedger) throws -> LedgerChange) async throws -> [CreditChanged] {
        var ledger = try await ledger(practitioner, on: connection, logger: logger)
        let before = ledger.state(on: date)
        do {
            guard try mutate(&ledger) == .applied else { return [] }
        } catch {
            throw CreditRefusal("points of \(practitioner): \(error)")
        }
        try await connection.query("""
            INSERT INTO \(unescaped: schema).point_actions (prac_codg, action_id, action) VALUES (\(practitioner), \(actionID), \(try Stored.json(action))::jsonb)
            """, logger: logger)
        let after = ledger.state(on: date)
        let factory = ChangeFactory(subject: CreditSubject(kind: .practitioner, id: practitioner), cause: cause, date: date)
        var changes: [CreditChanged] = []
        if before.pointsThisYear != after.pointsThisYear {
            changes.append(factory.make("points", before: "\(before.pointsThisYear)", after: "\(after.pointsThisYear)", reasons: reasons))
        }
        if before.status != after.status {
            let (name, from, until) = after.status.summary
            changes.append(factory.make("suspension", before: before.status.summary.name, after: name,
                                        reasons: reasons + ["\(date.year) 年累计 \(after.pointsThisYear) 分 / \(after.pointsThisYear) points in \(date.year)"],
                                        from: from ?? date, until: until))
        }
        return changes
    }
}

extension PaymentQualificationStatus {
    /// `active`, `suspended` or `terminated`, with the period.
    var summary: (name: String, from: CivilDate?, until: CivilDate?) {
        switch self {
        case .active: ("active", nil, nil)
        case .suspended(let from, let until): ("suspended", from, until)
        case .terminated(let from, let until, _): ("terminated", from, until)
        }
    }
}
