import Foundation
import HISContract

/// 异议申诉 on one fact: none → disputed → upheld | rejected. Decided objections are final here
/// (further remedies — 行政复议, 诉讼 — happen outside the file and come back as amendments).
public enum ObjectionState: Sendable, Codable, Equatable {
    case none
    case disputed(since: CivilDate, grounds: String)
    case upheld(on: CivilDate, reason: String)
    case rejected(on: CivilDate, reason: String)
}

/// 信用修复 on one fact: none → requested → approved | rejected; a rejected request may be made again
/// once the conditions are met.
public enum RepairState: Sendable, Codable, Equatable {
    case none
    case requested(on: CivilDate)
    case approved(on: CivilDate, reason: String)
    case rejected(on: CivilDate, reason: String)
}

/// A fact as it stands on the view's date, with everything that happened to it.
public struct ResolvedFact: Sendable, Codable, Equatable {
    public var entryId: String
    public var recordedOn: CivilDate
    public var original: CreditFact
    /// After the latest amendment, or `original`.
    public var current: CreditFact
    /// Ids of the amendment entries, oldest first.
    public var amendments: [String]
    public var objection: ObjectionState
    public var repair: RepairState
    public var rectified: Bool
    public var refunded: Decimal

    /// Whether the fact still counts: not reversed by an upheld objection, not repaired.
    public var inForce: Bool { !isReversed && !isRepaired }

    public var isReversed: Bool {
        if case .upheld = objection { return true }
        return false
    }

    public var isRepaired: Bool {
        if case .approved = repair { return true }
        return false
    }
}

/// A credit file read as of the end of one date: each fact with its amendments, objection and
/// repair folded in. Entries after the date are ignored, so a grade can be recomputed for any past
/// date exactly as it was. Entries referring to unknown facts are ignored (the file refuses them
/// when recording; this keeps reading tolerant of foreign input).
public struct CreditFileView: Sendable, Codable, Equatable {
    public var date: CivilDate
    /// In recording order.
    public var facts: [ResolvedFact]

    public init(entries: [CreditEntry], on date: CivilDate) {
        self.date = date
        var facts: [ResolvedFact] = []
        var index: [String: Int] = [:]
        for entry in entries where entry.recordedOn <= date {
            if case .fact(let fact) = entry.event {
                guard index[entry.id] == nil else { continue }
                index[entry.id] = facts.count
                facts.append(ResolvedFact(entryId: entry.id, recordedOn: entry.recordedOn, original: fact, current: fact,
                                          amendments: [], objection: .none, repair: .none, rectified: false, refunded: 0))
                continue
            }
            guard let target = entry.event.target, let i = index[target] else { continue }
            Self.apply(entry, to: &facts[i])
        }
        self.facts = facts
    }

    private static func apply(_ entry: CreditEntry, to fact: inout ResolvedFact) {
        let day = entry.recordedOn
        switch entry.event {
        case .fact: break
        case .amendment(_, let replacement, _):
            fact.current = replacement
            fact.amendments.append(entry.id)
        case .objectionFiled(_, let grounds): fact.objection = .disputed(since: day, grounds: grounds)
        case .objectionUpheld(_, let reason): fact.objection = .upheld(on: day, reason: reason)
        case .objectionRejected(_, let reason): fact.objection = .rejected(on: day, reason: reason)
        case .rectificationVerified: fact.rectified = true
        case .refundReceived(_, let amount): fact.refunded += amount
        case .repairRequested: fact.repair = .requested(on: day)
        case .repairApproved(_, let reason): fact.repair = .approved(on: day, reason: reason)
        case .repairRejected(_, let reason): fact.repair = .rejected(on: day, reason: reason)
        }
    }

    public func fact(_ entryId: String) -> ResolvedFact? {
        facts.first { $0.entryId == entryId }
    }

    /// The facts that count for grading on `date`.
    public var inForce: [ResolvedFact] { facts.filter(\.inForce) }
}
