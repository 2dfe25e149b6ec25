import Foundation

/// When to try a failed delivery again: exponential back-off with full jitter, within a budget
/// of attempts and of age; past the budget the delivery goes to the dead-letter queue (死信),
/// from where an operator can replay it.
///
/// Full jitter (a uniform delay in [0, ceiling]) spreads the retries of many deliveries that
/// failed together, so a receiver coming back up is not hit by all of them at once.
public struct RetryPolicy: Sendable, Codable, Equatable {
    /// Ceiling of the delay after the first failed attempt, in seconds.
    public var baseDelay: TimeInterval
    /// The ceiling never exceeds this, in seconds.
    public var maxDelay: TimeInterval
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    /// No attempt later than this after the first one, in seconds.
    public var maxAge: TimeInterval

    /// Defaults: 30 s doubling up to 1 h, 12 attempts, 3 days.
    public init(baseDelay: TimeInterval = 30, maxDelay: TimeInterval = 3_600, maxAttempts: Int = 12,
                maxAge: TimeInterval = 3 * 86_400) {
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxAttempts = maxAttempts
        self.maxAge = maxAge
    }

    /// The largest delay after failed attempt number `attempt` (1-based): min(maxDelay, base·2^(attempt−1)).
    public func ceiling(after attempt: Int) -> TimeInterval {
        let exponent = Double(min(max(attempt, 1) - 1, 1_000))
        return min(maxDelay, baseDelay * pow(2, exponent))
    }

    /// When to make attempt `attempt + 1`, after attempt `attempt` failed at `now`; nil when the
    /// budget is spent (dead letter). `firstAttemptAt` anchors the age budget (defaults to `now`).
    public func nextAttempt<R: RandomNumberGenerator>(after attempt: Int, at now: Date, firstAttemptAt: Date? = nil,
                                                      random: inout R) -> Date? {
        guard attempt < maxAttempts else { return nil }
        let delay = Double.random(in: 0...ceiling(after: attempt), using: &random)
        let next = now.addingTimeInterval(delay)
        let deadline = (firstAttemptAt ?? now).addingTimeInterval(maxAge)
        return next <= deadline ? next : nil
    }
}

/// A seeded generator (SplitMix64), so that a retry schedule can be replayed and tested.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
