import Foundation

public enum QueueError: Error, Sendable, Equatable {
    case unknownItem(String)
    /// Someone else holds a live lease on the item.
    case leasedByOther(holder: String, until: Date)
    /// The caller holds no live lease on the item (never had one, or it expired).
    case noLiveLease(String)
    case invalidDuration(TimeInterval)
}

/// The reviewers' work queue as a value: items and leases, every answer a function of the time given.
/// Nothing expires by a clock running inside; an expired lease simply stops counting.
public struct ReviewQueue: Codable, Sendable, Equatable {
    public private(set) var items: [QueueItem]
    public private(set) var leases: [String: Lease]

    public init(items: [QueueItem] = []) {
        self.items = items
        self.leases = [:]
    }

    public mutating func enqueue(_ item: QueueItem) {
        items.removeAll { $0.id == item.id }
        items.append(item)
    }

    /// The live lease on an item at `now`, if any.
    public func lease(on itemID: String, at now: Date) -> Lease? {
        leases[itemID].flatMap { $0.isLive(at: now) ? $0 : nil }
    }

    /// Items no one holds at `now`, in work order (severity, then amount).
    public func available(at now: Date) -> [QueueItem] {
        items.filter { lease(on: $0.id, at: now) == nil }.sorted(by: QueueItem.precedes)
    }

    /// Claims an item for `duration` seconds. Renews the caller's own live lease; refuses while another
    /// reviewer's lease is live; takes over an expired one.
    @discardableResult
    public mutating func claim(_ itemID: String, by holder: String, at now: Date, for duration: TimeInterval) throws -> Lease {
        guard duration > 0 else { throw QueueError.invalidDuration(duration) }
        guard items.contains(where: { $0.id == itemID }) else { throw QueueError.unknownItem(itemID) }
        if let live = lease(on: itemID, at: now), live.holder != holder {
            throw QueueError.leasedByOther(holder: live.holder, until: live.expiresAt)
        }
        let claimedAt = lease(on: itemID, at: now)?.claimedAt ?? now
        let lease = Lease(itemID: itemID, holder: holder, claimedAt: claimedAt, expiresAt: now.addingTimeInterval(duration))
        leases[itemID] = lease
        return lease
    }

    /// Claims the first available item in work order, nil when none is.
    public mutating func claimNext(by holder: String, at now: Date, for duration: TimeInterval) throws -> Lease? {
        guard let next = available(at: now).first else { return nil }
        return try claim(next.id, by: holder, at: now, for: duration)
    }

    /// Gives the item back before the lease ends.
    public mutating func release(_ itemID: String, by holder: String, at now: Date) throws {
        try requireLiveLease(itemID, holder: holder, at: now)
        leases[itemID] = nil
    }

    /// Removes a decided item; only the holder of a live lease may, so a reviewer whose lease expired
    /// cannot finish an item someone else may have taken.
    @discardableResult
    public mutating func complete(_ itemID: String, by holder: String, at now: Date) throws -> QueueItem {
        try requireLiveLease(itemID, holder: holder, at: now)
        guard let index = items.firstIndex(where: { $0.id == itemID }) else { throw QueueError.unknownItem(itemID) }
        leases[itemID] = nil
        return items.remove(at: index)
    }

    /// Drops leases expired at `now` (housekeeping; answers do not depend on it) and returns them.
    @discardableResult
    public mutating func dropExpiredLeases(at now: Date) -> [Lease] {
        let expired = leases.values.filter { !$0.isLive(at: now) }.sorted { $0.itemID < $1.itemID }
        for lease in expired { leases[lease.itemID] = nil }
        return expired
    }

    private func requireLiveLease(_ itemID: String, holder: String, at now: Date) throws {
        guard items.contains(where: { $0.id == itemID }) else { throw QueueError.unknownItem(itemID) }
        guard lease(on: itemID, at: now)?.holder == holder else { throw QueueError.noLiveLease(itemID) }
    }
}
