import Foundation
import Synchronization

/// Login throttling per account name: after `limit` failures within `window`, the name is locked
/// for `lockout`; a success clears its failures. Kept in memory: a restart forgives, a password
/// guesser still gets `limit` tries per `lockout` at most. Per name rather than per address, so a
/// guesser spread over many addresses gains nothing.
public final class LoginThrottle: Sendable {
    public struct Policy: Sendable {
        public var limit: Int
        public var window: TimeInterval
        public var lockout: TimeInterval

        public init(limit: Int = 5, window: TimeInterval = 900, lockout: TimeInterval = 900) {
            self.limit = limit
            self.window = window
            self.lockout = lockout
        }
    }

    /// Whether a login attempt may be tried now.
    public enum Verdict: Sendable, Equatable {
        case allowed
        case locked(until: Date)
    }

    private struct Record {
        var failures: [Date] = []
        var lockedUntil: Date?
    }

    public let policy: Policy
    /// Names tracked at most: past it, names with neither a lock nor a failure in the window are
    /// forgotten, so guessing many names cannot grow memory without bound.
    static let capacity = 10_000
    private let records = Mutex<[String: Record]>([:])

    public init(policy: Policy = Policy()) { self.policy = policy }

    public func verdict(for name: String, now: Date = Date()) -> Verdict {
        records.withLock { records in
            guard let until = records[name]?.lockedUntil, until > now else { return .allowed }
            return .locked(until: until)
        }
    }

    /// Records a failed attempt; true when this failure locked the name.
    @discardableResult
    public func failed(_ name: String, now: Date = Date()) -> Bool {
        records.withLock { records in
            var record = records[name] ?? Record()
            record.failures = record.failures.filter { now.timeIntervalSince($0) < policy.window } + [now]
            let locks = record.failures.count >= policy.limit
            if locks {
                record.lockedUntil = now.addingTimeInterval(policy.lockout)
                record.failures = []
            }
            records[name] = record
            if records.count > Self.capacity {
                records = records.filter { _, kept in
                    (kept.lockedUntil ?? .distantPast) > now || kept.failures.contains { now.timeIntervalSince($0) < policy.window }
                }
            }
            return locks
        }
    }

    public func succeeded(_ name: String) {
        records.withLock { $0[name] = nil }
    }
}
