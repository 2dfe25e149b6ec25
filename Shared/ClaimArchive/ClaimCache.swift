import RuleEngine
import Synchronization

/// Claims already read, by claim id, so that the history of a run of claims is decoded from
/// PostgreSQL only for the claims this process has not seen. A stored claim never changes (a
/// correction is a new claim id), so an entry is never stale; the cache only bounds memory:
/// past `capacity` the oldest entries are dropped, and they are read again if needed.
///
/// Claims are keyed by `patn_id` on `claims.accepted`, so each smart-review process sees its own
/// partitions' persons: the claims it reviews are the history it will need next.
public final class ClaimCache: Sendable {
    private struct State {
        var claims: [String: Claim] = [:]
        /// Insertion order, for eviction; `head` is the oldest live slot.
        var order: [String] = []
        var head = 0
    }

    public let capacity: Int
    private let state = Mutex(State())

    /// `capacity` 0 keeps nothing (every read decodes).
    public init(capacity: Int) { self.capacity = capacity }

    public var count: Int { state.withLock { $0.claims.count } }

    /// The cached claims among `ids`, and the ids not cached.
    public func lookup(_ ids: some Sequence<String>) -> (found: [Claim], missing: [String]) {
        state.withLock { state in
            var found: [Claim] = [], missing: [String] = []
            for id in ids {
                if let claim = state.claims[id] { found.append(claim) } else { missing.append(id) }
            }
            return (found, missing)
        }
    }

    public func insert(_ claims: [Claim]) {
        guard capacity > 0 else { return }
        state.withLock { state in
            for claim in claims where state.claims.updateValue(claim, forKey: claim.claimID) == nil {
                state.order.append(claim.claimID)
            }
            while state.claims.count > capacity, state.head < state.order.count {
                state.claims[state.order[state.head]] = nil
                state.head += 1
            }
            // Compact the order list once its dead prefix is as long as the live part.
            if state.head > 1_024 && state.head * 2 > state.order.count {
                state.order.removeFirst(state.head)
                state.head = 0
            }
        }
    }
}
