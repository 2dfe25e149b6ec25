import RuleEngine
import Synchronization

/// Values already read or written, by key, so that what this process has seen is not read from
/// PostgreSQL again. Only for values that never change once stored under their key (a stored claim,
/// the event of an accepted claim: a correction is a new claim id), so an entry is never stale; the
/// cache only bounds memory: past `capacity` the oldest entries are dropped, and they are read again
/// if needed.
public final class BoundedCache<Value: Sendable>: Sendable {
    private struct State {
        var values: [String: Value] = [:]
        /// Insertion order, for eviction; `head` is the oldest live slot.
        var order: [String] = []
        var head = 0
    }

    public let capacity: Int
    private let key: @Sendable (Value) -> String
    private let state = Mutex(State())

    /// `capacity` 0 keeps nothing (every read goes to the database).
    public init(capacity: Int, key: @escaping @Sendable (Value) -> String) {
        self.capacity = capacity
        self.key = key
    }

    public var count: Int { state.withLock { $0.values.count } }

    /// The cached values among `ids`, and the ids not cached.
    public func lookup(_ ids: some Sequence<String>) -> (found: [Value], missing: [String]) {
        state.withLock { state in
            var found: [Value] = [], missing: [String] = []
            for id in ids {
                if let value = state.values[id] { found.append(value) } else { missing.append(id) }
            }
            return (found, missing)
        }
    }

    public func insert(_ values: [Value]) {
        guard capacity > 0 else { return }
        state.withLock { state in
            for value in values where state.values.updateValue(value, forKey: key(value)) == nil {
                state.order.append(key(value))
            }
            while state.values.count > capacity, state.head < state.order.count {
                state.values[state.order[state.head]] = nil
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

/// Claims already decoded, by claim id, so that the history of a run of claims is decoded from
/// PostgreSQL only for the claims this process has not seen. Claims are keyed by `patn_id` on
/// `claims.accepted`, so each smart-review process sees its own partitions' persons: the claims it
/// reviews are the history it will need next.
public typealias ClaimCache = BoundedCache<Claim>

extension BoundedCache where Value == Claim {
    public convenience init(capacity: Int) { self.init(capacity: capacity, key: { $0.claimID }) }
}
