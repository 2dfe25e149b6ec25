import HISContract

/// A practitioner's payment-eligibility ledger (医保支付资格记分档案): every deduction and reversal
/// ever applied, never edited. Status is not stored but replayed, so a late-arriving deduction or an
/// upheld objection gives the same answer as if it had been known in order.
///
/// Replay rules, per calendar year of `decidedOn` (points reset on 1 January; a restriction already
/// running continues into the new year):
/// - a deduction taking the year's total to `annualBudget` (12) or more terminates qualification on
///   its decision date, barring re-registration for `terminationBarYears` (1), or
///   `terminationBarYearsAtOnce` (3) when that single deduction carried the whole budget;
/// - otherwise a total at or above `suspensionThreshold` (9) suspends from the decision date for
///   `suspensionMonths(forYearlyPoints:)`; a further deduction during a suspension extends it to the
///   later of the two ends, never shortens it;
/// - a reversal counts from its own date: the practitioner *was* suspended before the objection
///   was upheld, and is not from the day it was.
public struct PointsLedger: Sendable, Codable, Equatable {
    public var practitionerCode: String
    public var policy: PointsPolicy
    public private(set) var deductions: [PointDeduction]
    public private(set) var reversals: [PointReversal]

    public init(practitionerCode: String, policy: PointsPolicy = .default) {
        self.practitionerCode = practitionerCode
        self.policy = policy
        deductions = []
        reversals = []
    }

    /// Adds a deduction; the same id again (identical content) changes nothing.
    @discardableResult
    public mutating func apply(_ deduction: PointDeduction) throws(PointsLedgerError) -> LedgerChange {
        guard (1...policy.annualBudget).contains(deduction.points) else {
            throw .pointsOutOfRange(id: deduction.id, points: deduction.points)
        }
        if let existing = deductions.first(where: { $0.id == deduction.id }) {
            guard existing == deduction else { throw .conflictingDeduction(id: deduction.id) }
            return .unchanged
        }
        deductions.append(deduction)
        return .applied
    }

    /// Reverses a deduction from `on` (异议成立, 撤销处理决定). Reversing it again changes nothing.
    @discardableResult
    public mutating func reverse(deductionId: String, on date: CivilDate, reason: String) throws(PointsLedgerError) -> LedgerChange {
        guard let deduction = deductions.first(where: { $0.id == deductionId }) else { throw .unknownDeduction(id: deductionId) }
        guard date >= deduction.decidedOn else { throw .reversalBeforeDecision(id: deductionId) }
        if reversals.contains(where: { $0.deductionId == deductionId }) { return .unchanged }
        reversals.append(PointReversal(deductionId: deductionId, reversedOn: date, reason: reason))
        return .applied
    }

    /// The ledger as it stood at the end of `date`.
    public func state(on date: CivilDate) -> PointsState {
        let replayed = replay(asOf: date)
        return PointsState(date: date, pointsThisYear: replayed.points(in: date.year),
                           status: replayed.status(on: date), history: history(upTo: date))
    }

    private func history(upTo date: CivilDate) -> [PointsHistoryItem] {
        let actions = deductions.map { PointsHistoryItem.Action.deduction($0) } + reversals.map { .reversal($0) }
        return actions.filter { $0.date <= date }
            .enumerated()
            .sorted { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }
            .map { _, action in
                let replayed = replay(asOf: action.date)
                return PointsHistoryItem(action: action, pointsInYear: replayed.points(in: action.date.year),
                                         status: replayed.status(on: action.date))
            }
    }

    private func replay(asOf date: CivilDate) -> Replay {
        let reversedBy = Dictionary(reversals.map { ($0.deductionId, $0.reversedOn) }, uniquingKeysWith: min)
        let effective = deductions.enumerated()
            .filter { _, d in d.decidedOn <= date && !(reversedBy[d.id].map { $0 <= date } ?? false) }
            .sorted { ($0.element.decidedOn, $0.offset) < ($1.element.decidedOn, $1.offset) }
            .map(\.element)
        var replay = Replay()
        for deduction in effective { replay.add(deduction, policy: policy) }
        return replay
    }
}

/// The running result of replaying deductions in decision order.
private struct Replay {
    var yearly: [Int: Int] = [:]
    var suspension: (from: CivilDate, until: CivilDate)?
    var termination: (from: CivilDate, until: CivilDate, atOnce: Bool)?

    func points(in year: Int) -> Int { yearly[year, default: 0] }

    func status(on date: CivilDate) -> PaymentQualificationStatus {
        if let t = termination, t.from <= date, date < t.until { return .terminated(from: t.from, until: t.until, atOnce: t.atOnce) }
        if let s = suspension, s.from <= date, date < s.until { return .suspended(from: s.from, until: s.until) }
        return .active
    }

    mutating func add(_ deduction: PointDeduction, policy: PointsPolicy) {
        let day = deduction.decidedOn
        let before = points(in: day.year)
        let total = before + deduction.points
        yearly[day.year] = total
        if let t = termination, day < t.until { return }  // already terminated: nothing more to decide
        if total >= policy.annualBudget {
            let atOnce = deduction.points >= policy.annualBudget
            let years = atOnce ? policy.terminationBarYearsAtOnce : policy.terminationBarYears
            termination = (day, CalendarMath.adding(years: years, to: day), atOnce)
            suspension = nil
        } else if let months = policy.suspensionMonths(forYearlyPoints: total) {
            let end = CalendarMath.adding(months: months, to: day)
            if let s = suspension, day < s.until {
                suspension = (s.from, max(s.until, end))
            } else {
                suspension = (day, end)
            }
        }
    }
}
