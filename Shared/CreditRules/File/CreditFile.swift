import Foundation
import HISContract

public enum CreditFileError: Error, Sendable, Equatable {
    /// The id was recorded before with different content.
    case conflictingEntry(id: String)
    /// Entries are appended in date order; this one is dated before the last.
    case outOfOrder(id: String, recordedOn: CivilDate, last: CivilDate)
    case unknownTarget(id: String, target: String)
    /// Objections, refunds and repair apply to negative facts only.
    case notNegativeFact(id: String, target: String)
    /// The target was already reversed by an upheld objection or repaired.
    case targetNoLongerInForce(id: String, target: String)
    case amendmentChangesKind(id: String, target: String)
    case objectionNotAllowed(id: String, target: String, state: ObjectionState)
    case noPendingObjection(id: String, target: String)
    case repairNotAllowed(id: String, target: String, state: RepairState)
    case noPendingRepair(id: String, target: String)
    case objectionPending(id: String, target: String)
    case notEligibleForRepair(id: String, target: String, unmet: [String])
}

/// A subject's credit file (信用档案) and the state machine of objections and repair over it.
/// `record` is the only way in: it refuses a transition the process does not allow, so a stored
/// file is always a valid history, and recording the same entry twice changes nothing.
public struct CreditFile: Sendable, Codable, Equatable {
    public var subject: CreditSubject
    public var repairPolicy: RepairPolicy
    public private(set) var entries: [CreditEntry]

    public init(subject: CreditSubject, repairPolicy: RepairPolicy = .default) {
        self.subject = subject
        self.repairPolicy = repairPolicy
        entries = []
    }

    /// Rebuilds a file from stored entries, checking every transition again.
    public init(subject: CreditSubject, repairPolicy: RepairPolicy = .default, entries: [CreditEntry]) throws(CreditFileError) {
        self.init(subject: subject, repairPolicy: repairPolicy)
        for entry in entries { try record(entry) }
    }

    public func view(on date: CivilDate) -> CreditFileView {
        CreditFileView(entries: entries, on: date)
    }

    public func repairEligibility(of entryId: String, on date: CivilDate) -> RepairEligibility {
        repairPolicy.eligibility(of: entryId, in: view(on: date))
    }

    @discardableResult
    public mutating func record(_ entry: CreditEntry) throws(CreditFileError) -> LedgerChange {
        if let existing = entries.first(where: { $0.id == entry.id }) {
            guard existing == entry else { throw .conflictingEntry(id: entry.id) }
            return .unchanged
        }
        if let last = entries.last, entry.recordedOn < last.recordedOn {
            throw .outOfOrder(id: entry.id, recordedOn: entry.recordedOn, last: last.recordedOn)
        }
        if let target = entry.event.target {
            let view = view(on: entry.recordedOn)
            guard let fact = view.fact(target) else { throw .unknownTarget(id: entry.id, target: target) }
            try check(entry, against: fact, in: view)
        }
        entries.append(entry)
        return .applied
    }

    private func check(_ entry: CreditEntry, against fact: ResolvedFact, in view: CreditFileView) throws(CreditFileError) {
        let id = entry.id, target = fact.entryId
        if case .amendment(_, let replacement, _) = entry.event {
            guard replacement.kindName == fact.original.kindName else { throw .amendmentChangesKind(id: id, target: target) }
            guard !fact.isReversed else { throw .targetNoLongerInForce(id: id, target: target) }
            return
        }
        guard fact.current.isNegative else { throw .notNegativeFact(id: id, target: target) }
        switch entry.event {
        case .fact, .amendment:
            return
        case .objectionFiled:
            guard fact.objection == .none, !fact.isRepaired else {
                throw .objectionNotAllowed(id: id, target: target, state: fact.objection)
            }
        case .objectionUpheld, .objectionRejected:
            guard case .disputed = fact.objection else { throw .noPendingObjection(id: id, target: target) }
        case .rectificationVerified, .refundReceived:
            guard fact.inForce else { throw .targetNoLongerInForce(id: id, target: target) }
        case .repairRequested:
            guard fact.inForce else { throw .targetNoLongerInForce(id: id, target: target) }
            if case .disputed = fact.objection { throw .objectionPending(id: id, target: target) }
            if case .requested = fact.repair { throw .repairNotAllowed(id: id, target: target, state: fact.repair) }
        case .repairApproved:
            guard case .requested = fact.repair else { throw .noPendingRepair(id: id, target: target) }
            let eligibility = repairPolicy.eligibility(of: target, in: view)
            guard eligibility.isEligible else { throw .notEligibleForRepair(id: id, target: target, unmet: eligibility.unmet) }
        case .repairRejected:
            guard case .requested = fact.repair else { throw .noPendingRepair(id: id, target: target) }
        }
    }
}

/// Shorthands that build the process entries; each goes through `record`.
extension CreditFile {
    @discardableResult
    public mutating func recordFact(_ fact: CreditFact, id: String, on date: CivilDate, by actor: String) throws(CreditFileError) -> LedgerChange {
        try record(CreditEntry(id: id, recordedOn: date, recordedBy: actor, event: .fact(fact)))
    }

    @discardableResult
    public mutating func fileObjection(id: String, against target: String, on date: CivilDate, by actor: String,
                                       grounds: String) throws(CreditFileError) -> LedgerChange {
        try record(CreditEntry(id: id, recordedOn: date, recordedBy: actor, event: .objectionFiled(against: target, grounds: grounds)))
    }

    @discardableResult
    public mutating func decideObjection(id: String, against target: String, on date: CivilDate, by actor: String,
                                         upheld: Bool, reason: String) throws(CreditFileError) -> LedgerChange {
        let event: CreditEvent = upheld ? .objectionUpheld(against: target, reason: reason) : .objectionRejected(against: target, reason: reason)
        return try record(CreditEntry(id: id, recordedOn: date, recordedBy: actor, event: event))
    }

    @discardableResult
    public mutating func requestRepair(id: String, of target: String, on date: CivilDate, by actor: String) throws(CreditFileError) -> LedgerChange {
        try record(CreditEntry(id: id, recordedOn: date, recordedBy: actor, event: .repairRequested(of: target)))
    }

    @discardableResult
    public mutating func decideRepair(id: String, of target: String, on date: CivilDate, by actor: String,
                                      approved: Bool, reason: String) throws(CreditFileError) -> LedgerChange {
        let event: CreditEvent = approved ? .repairApproved(of: target, reason: reason) : .repairRejected(of: target, reason: reason)
        return try record(CreditEntry(id: id, recordedOn: date, recordedBy: actor, event: event))
    }
}
