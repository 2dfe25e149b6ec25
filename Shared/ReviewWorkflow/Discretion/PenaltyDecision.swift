import Foundation

/// How a fine is expressed: as a multiple of the amount (第三十八、四十、四十一条) or as a fixed
/// amount in yuan (第三十九条).
public enum Fine: Codable, Sendable, Equatable {
    case none
    case multiple(Decimal)
    case amount(Decimal)
}

/// The measures a supervisor decides, used to depart from a calculated `Proposal`.
public struct PenaltyDecision: Codable, Sendable, Equatable {
    public var fine: Fine
    public var suspensionMonths: Int
    public var terminateAgreement: Bool
    public var referToPolice: Bool

    public init(fine: Fine, suspensionMonths: Int = 0, terminateAgreement: Bool = false, referToPolice: Bool = false) {
        self.fine = fine
        self.suspensionMonths = suspensionMonths
        self.terminateAgreement = terminateAgreement
        self.referToPolice = referToPolice
    }

    /// The measures in words, for the reasoning: "罚款1.5倍，暂停6个月".
    public var summary: String {
        var parts: [String] = []
        switch fine {
        case .none: parts.append("不予罚款")
        case .multiple(let multiple): parts.append("罚款\(multiple)倍")
        case .amount(let amount): parts.append("罚款\(amount)元")
        }
        parts.append(suspensionMonths > 0 ? "暂停\(suspensionMonths)个月" : "不暂停")
        if terminateAgreement { parts.append("解除服务协议") }
        if referToPolice { parts.append("移送公安机关") }
        return parts.joined(separator: "，")
    }
}

extension Proposal {
    /// The measures of this proposal as a decision, e.g. to start a departure from them.
    public var decision: PenaltyDecision {
        let fine: Fine = if let fineMultiple { .multiple(fineMultiple) } else if fineAmount > 0 { .amount(fineAmount) } else { .none }
        return PenaltyDecision(fine: fine, suspensionMonths: suspensionMonths, terminateAgreement: terminateAgreement,
                               referToPolice: referToPolice)
    }
}
