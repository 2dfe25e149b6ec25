import Foundation

/// A fixed instant plus `seconds`, so tests never read the clock.
func instant(_ seconds: TimeInterval = 0) -> Date {
    Date(timeIntervalSince1970: 1_750_000_000 + seconds)
}
