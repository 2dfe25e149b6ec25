import HISContract

/// One deduction of payment-eligibility points (记分), made when an institution's case is decided.
/// The id is stable (e.g. the case id plus the practitioner code) so a redelivered case outcome is
/// recognised and applied once.
public struct PointDeduction: Sendable, Codable, Equatable, Identifiable {
    public var id: String
    /// Date of the handling decision; it decides the calendar year the points count in.
    public var decidedOn: CivilDate
    /// 1...12.
    public var points: Int
    public var caseId: String
    public var band: PointBand?
    public var reason: String

    public init(id: String, decidedOn: CivilDate, points: Int, caseId: String, band: PointBand? = nil, reason: String = "") {
        self.id = id
        self.decidedOn = decidedOn
        self.points = points
        self.caseId = caseId
        self.band = band
        self.reason = reason
    }

    /// A deduction valued from the case's handling with `PointBand.points(for:)`.
    public init(id: String, decidedOn: CivilDate, caseId: String, handling: CaseHandling, reason: String = "") {
        self.init(id: id, decidedOn: decidedOn, points: PointBand.points(for: handling), caseId: caseId,
                  band: PointBand.band(for: handling), reason: reason)
    }
}

/// The reversal of a deduction after a successful objection (异议申诉成立) or a revoked decision.
public struct PointReversal: Sendable, Codable, Equatable {
    public var deductionId: String
    public var reversedOn: CivilDate
    public var reason: String

    public init(deductionId: String, reversedOn: CivilDate, reason: String) {
        self.deductionId = deductionId
        self.reversedOn = reversedOn
        self.reason = reason
    }
}

/// Payment-qualification status on a date. `until` is always the first day the restriction no
/// longer applies (an exclusive end).
public enum PaymentQualificationStatus: Sendable, Codable, Equatable {
    case active
    /// 暂停医保支付资格: no fund payment for the practitioner's services from `from` until `until`.
    case suspended(from: CivilDate, until: CivilDate)
    /// 终止医保支付资格: terminated on `from`; may re-register (再次登记备案) from `until`.
    /// After `until` the ledger reports `.active` again: re-registration itself is recorded by the
    /// registration process, not here.
    case terminated(from: CivilDate, until: CivilDate, atOnce: Bool)
}

public enum PointsLedgerError: Error, Sendable, Equatable {
    case pointsOutOfRange(id: String, points: Int)
    /// The same id was applied before with different content: a redelivery must be identical.
    case conflictingDeduction(id: String)
    case unknownDeduction(id: String)
    case reversalBeforeDecision(id: String)
}

/// What an `apply` or `reverse` call did; repeating a call reports `.unchanged`.
public enum LedgerChange: Sendable, Equatable {
    case applied
    case unchanged
}
