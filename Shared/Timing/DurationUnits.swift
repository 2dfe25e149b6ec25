/// A `Duration` in the units the platform's metrics, SQL intervals, HTTP clients and benchmarks
/// take: one place for the arithmetic over its (seconds, attoseconds) components, which was
/// written out by hand in a dozen files.
extension Duration {
    /// The whole duration in seconds, fractions included.
    public var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }

    /// The whole duration in microseconds, fractions included.
    public var inMicroseconds: Double { Double(components.seconds) * 1e6 + Double(components.attoseconds) / 1e12 }

    /// The whole duration in nanoseconds (what swift-metrics' timers record), saturating at `Int64`'s bounds.
    public var inNanoseconds: Int64 {
        let (whole, overflow) = components.seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (total, carried) = whole.addingReportingOverflow(components.attoseconds / 1_000_000_000)
        guard !overflow, !carried else { return components.seconds < 0 ? .min : .max }
        return total
    }
}
