import Foundation

/// A flagged item waiting for a reviewer.
public struct QueueItem: Codable, Sendable, Equatable {
    public var id: String
    public var severity: Severity
    /// Amount at stake in yuan.
    public var amount: Decimal
    public var enqueuedAt: Date

    public init(id: String, severity: Severity, amount: Decimal, enqueuedAt: Date) {
        self.id = id
        self.severity = severity
        self.amount = amount
        self.enqueuedAt = enqueuedAt
    }

    /// The work order: more severe first, then the larger amount, then the older item, then by id so
    /// the order is total and every reviewer sees the same queue.
    public static func precedes(_ lhs: QueueItem, _ rhs: QueueItem) -> Bool {
        if lhs.severity != rhs.severity { return lhs.severity > rhs.severity }
        if lhs.amount != rhs.amount { return lhs.amount > rhs.amount }
        if lhs.enqueuedAt != rhs.enqueuedAt { return lhs.enqueuedAt < rhs.enqueuedAt }
        return lhs.id < rhs.id
    }
}

/// A reviewer's claim on an item until `expiresAt`; once expired the item is back in the queue
/// without anyone having to release it, so a reviewer who walks away cannot block it.
public struct Lease: Codable, Sendable, Equatable {
    public var itemID: String
    public var holder: String
    public var claimedAt: Date
    public var expiresAt: Date

    public init(itemID: String, holder: String, claimedAt: Date, expiresAt: Date) {
        self.itemID = itemID
        self.holder = holder
        self.claimedAt = claimedAt
        self.expiresAt = expiresAt
    }

    /// Live from `claimedAt` up to, not including, `expiresAt`.
    public func isLive(at now: Date) -> Bool { now < expiresAt }
}
