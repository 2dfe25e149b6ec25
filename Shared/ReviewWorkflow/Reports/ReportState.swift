import Foundation

/// Where a whistle-blower report (举报线索) stands on the workbench. The order is the order of
/// progress; `unfounded` and `paid` are final.
public enum ReportState: String, Codable, Sendable, CaseIterable {
    /// 已受理: received from intake, waiting for a supervisor to assign it.
    case received
    /// 已分派: assigned to a reviewer (承办人).
    case assigned
    /// 调查核实中: linked to claims, institutions or cases under investigation.
    case investigating
    /// 查证属实: verified, with the amount recovered.
    case confirmed
    /// 查无实据: not substantiated, with the reason.
    case unfounded
    /// 已认定奖励: the reward worked out under the bureau's schedule.
    case rewarded
    /// 奖励已发放: the reward paid, with the payment reference.
    case paid

    public var isFinal: Bool { self == .unfounded || self == .paid }
}

/// One step of a report's progress, numbered from 1: what the reporter is told (through intake)
/// and what the full-process record keeps.
public struct ReportStep: Codable, Sendable, Equatable {
    public var number: Int
    public var state: ReportState
    public var actor: String
    public var at: Date
}

/// Links of a report to what the investigation found (关联的结算单据、定点机构、案件).
public struct ReportLinks: Codable, Sendable, Equatable {
    public var claims: [String]
    public var institutions: [String]
    public var cases: [String]

    public init(claims: [String] = [], institutions: [String] = [], cases: [String] = []) {
        self.claims = claims
        self.institutions = institutions
        self.cases = cases
    }

    public var isEmpty: Bool { claims.isEmpty && institutions.isEmpty && cases.isEmpty }

    /// The union, sorted and without repeats, so linking twice changes nothing.
    public func merged(with other: ReportLinks) -> ReportLinks {
        ReportLinks(claims: Set(claims + other.claims).sorted(), institutions: Set(institutions + other.institutions).sorted(),
                    cases: Set(cases + other.cases).sorted())
    }
}

/// Why the report's rules refuse an action: the workbench answers 409, 403 or 422 with the description.
public enum ReportWorkflowError: Error, Equatable, CustomStringConvertible {
    case invalidTransition(from: ReportState, action: String)
    case notAssignee(actor: String, assignee: String?)
    case invalidField(String, String)

    public var description: String {
        switch self {
        case .invalidTransition(let from, let action): "a \(from.rawValue) report cannot be \(action)"
        case .notAssignee(let actor, let assignee):
            "\(actor) is not the reviewer the report is assigned to (\(assignee ?? "nobody"))"
        case .invalidField(let field, let problem): "\(field): \(problem)"
        }
    }
}
