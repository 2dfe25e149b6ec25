import HISContract

/// What a credit decision obliges the door (intake) and the review (smart-review) to enforce
/// (信用结果运用).
public enum SanctionMeasure: String, Sendable, Codable, CaseIterable {
    /// 暂停（或终止）医保支付资格: what the practitioner orders is not paid by the fund.
    case paymentQualificationSuspended
    /// 暂停医疗费用联网结算: the insured person pays in full and claims by hand (手工报销).
    case directSettlementSuspended
    /// 逐单审核: every claim of the institution goes to second review (grade D, agreement suspended).
    case fullReview
    /// 提高审核比例: a higher share of the institution's claims is reviewed by hand (grade C).
    case increasedReview
}

/// The kinds of subject a sanction falls on, named as `credit.changes` names them.
public enum SanctionSubjectKind: String, Sendable, Codable, Hashable {
    case practitioner
    case insuredPerson = "insured_person"
    case institution
}

/// One measure in force over a period, with the decision that imposed it.
public struct Sanction: Sendable, Codable, Equatable {
    public var measure: SanctionMeasure
    /// What the credit change said is changing (`suspension`, `grade`, `agreement`): a lift ends
    /// only the sanctions of its own basis.
    public var basis: String
    /// The decision named to the hospital: the case number, else credit's change id.
    public var decision: String
    public var from: CivilDate
    /// First day it no longer applies (expiry or lift); nil while open-ended.
    public var until: CivilDate?

    public init(measure: SanctionMeasure, basis: String, decision: String, from: CivilDate, until: CivilDate?) {
        self.measure = measure
        self.basis = basis
        self.decision = decision
        self.from = from
        self.until = until
    }

    public func isInForce(on date: CivilDate) -> Bool { from <= date && until.map { date < $0 } ?? true }

    /// "案件 X（2026-01-05 起至 2026-04-05）": the decision as the hospital's answer names it.
    public var described: String {
        "决定 \(decision)（\(from) 起" + (until.map { "至 \($0) 止" } ?? "") + "）"
    }
}

public struct SanctionKey: Sendable, Hashable, Codable {
    public var kind: SanctionSubjectKind
    public var id: String

    public init(_ kind: SanctionSubjectKind, _ id: String) {
        self.kind = kind
        self.id = id
    }
}

/// Every sanction credit has published, as the followers hold it: built from the changes received
/// in any order and any number of times (a change id counts once; changes apply by effective date,
/// on one day impositions before lifts), so a restart or a redelivery rebuilds the same register.
public struct SanctionRegister: Sendable, Equatable {
    public static let empty = SanctionRegister(changes: [])

    private var bySubject: [SanctionKey: [Sanction]] = [:]

    /// Kinds of subject with a sanction ever imposed: an institution's grade makes no line look up a doctor.
    private var kinds: Set<SanctionSubjectKind> = []

    public var isEmpty: Bool { bySubject.isEmpty }

    public func hasSanctions(on kind: SanctionSubjectKind) -> Bool { kinds.contains(kind) }

    public init(changes: [SanctionChange]) {
        var seen = Set<String>()
        let ordered = changes.filter { seen.insert($0.id).inserted }.sorted { ($0.date, $0.imposes.isEmpty ? 1 : 0, $0.id) < ($1.date, $1.imposes.isEmpty ? 1 : 0, $1.id) }
        for change in ordered { apply(change) }
    }

    /// The subject's sanctions, in the order imposed (lifted and expired ones included, with their end).
    public func sanctions(of key: SanctionKey) -> [Sanction] { bySubject[key] ?? [] }

    /// The first sanction with `measure` in force on `date`: a dictionary lookup, nothing when the
    /// subject has none (the rule engine asks this per fee line).
    public func inForce(_ measure: SanctionMeasure, on key: SanctionKey, date: CivilDate) -> Sanction? {
        guard let list = bySubject[key] else { return nil }
        return list.first { $0.measure == measure && $0.isInForce(on: date) }
    }

    private mutating func apply(_ change: SanctionChange) {
        var list = bySubject[change.subject] ?? []
        if let lift = change.lifts {
            for i in list.indices where list[i].basis == change.basis && (lift == .all || list[i].decision == change.decision)
                && list[i].isInForce(on: change.date) {
                list[i].until = change.date
            }
        }
        for measure in change.imposes {
            list.append(Sanction(measure: measure, basis: change.basis, decision: change.decision, from: change.date, until: change.until))
        }
        bySubject[change.subject] = list.isEmpty ? nil : list
        if !list.isEmpty { kinds.insert(change.subject.kind) }
    }
}
