import Foundation
import HISContract

/// One line of a credit file. Files are append-only (全过程记录): a correction, an objection or a
/// repair is a new entry naming the entry it concerns; no entry is ever changed or removed.
public struct CreditEntry: Sendable, Codable, Equatable, Identifiable {
    public var id: String
    public var recordedOn: CivilDate
    /// Who recorded or decided it (user id or system component).
    public var recordedBy: String
    public var event: CreditEvent

    public init(id: String, recordedOn: CivilDate, recordedBy: String, event: CreditEvent) {
        self.id = id
        self.recordedOn = recordedOn
        self.recordedBy = recordedBy
        self.event = event
    }
}

public enum CreditEvent: Sendable, Codable, Equatable {
    case fact(CreditFact)
    /// Corrects the content of fact `of` from this entry's date (更正), e.g. a re-assessed amount.
    /// The kind must stay the same; the latest amendment wins.
    case amendment(of: String, fact: CreditFact, reason: String)
    /// 异议申诉: the subject disputes a negative fact.
    case objectionFiled(against: String, grounds: String)
    /// 异议成立: the fact stops counting from this date.
    case objectionUpheld(against: String, reason: String)
    /// 异议不成立: the fact stands.
    case objectionRejected(against: String, reason: String)
    /// The bureau verified that the problem behind a fact was rectified (整改到位).
    case rectificationVerified(of: String)
    /// Money paid back for a fact (退回 / 补缴), towards its `amountOwed`.
    case refundReceived(of: String, amount: Decimal)
    /// 信用修复申请.
    case repairRequested(of: String)
    /// 信用修复: the fact stops counting from this date; earlier grades stand as they were.
    case repairApproved(of: String, reason: String)
    case repairRejected(of: String, reason: String)

    /// The entry this event refers to, nil for a fact.
    public var target: String? {
        switch self {
        case .fact: nil
        case .amendment(let id, _, _), .objectionFiled(let id, _), .objectionUpheld(let id, _),
             .objectionRejected(let id, _), .rectificationVerified(let id), .refundReceived(let id, _),
             .repairRequested(let id), .repairApproved(let id, _), .repairRejected(let id, _):
            id
        }
    }
}
