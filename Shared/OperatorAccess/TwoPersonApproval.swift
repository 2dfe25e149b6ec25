import Foundation

/// A sensitive act that one person asks for with a stated reason and a second person must approve
/// before the first may carry it out (opening a whistle-blower's identity: 双人审批).
public struct TwoPersonApproval: Sendable, Equatable {
    public enum State: String, Sendable, Codable {
        case pending, approved, carriedOut = "carried_out"
    }

    public enum Refusal: Error, Equatable, CustomStringConvertible {
        case reasonTooShort(minimum: Int)
        case sameApprover
        case notPending(State)
        case notApproved(State)
        case notRequester

        public var description: String {
            switch self {
            case .reasonTooShort(let minimum): "a reason of at least \(minimum) characters is required"
            case .sameApprover: "the approval must come from a second person, not the one who asked"
            case .notPending(let state): "the request is \(state.rawValue), not pending"
            case .notApproved(let state): "the request is \(state.rawValue): it needs a second person's approval first"
            case .notRequester: "only the person who asked may carry out the approved request"
            }
        }
    }

    public static let minimumReason = 10

    public let requester: String
    public let reason: String
    public private(set) var approver: String?
    public private(set) var state: State

    public init(requester: String, reason: String) throws {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard reason.count >= Self.minimumReason else { throw Refusal.reasonTooShort(minimum: Self.minimumReason) }
        self.init(requester: requester, reason: reason, approver: nil, state: .pending)
    }

    /// A request as stored.
    public init(requester: String, reason: String, approver: String?, state: State) {
        self.requester = requester
        self.reason = reason
        self.approver = approver
        self.state = state
    }

    public mutating func approve(by person: String) throws {
        guard state == .pending else { throw Refusal.notPending(state) }
        guard person != requester else { throw Refusal.sameApprover }
        approver = person
        state = .approved
    }

    /// The approved act, once, by the person who asked.
    public mutating func carryOut(by person: String) throws {
        guard state == .approved else { throw Refusal.notApproved(state) }
        guard person == requester else { throw Refusal.notRequester }
        state = .carriedOut
    }
}
