import Foundation

/// Rounding and clamping of money and multiples, kept in one place so every calculation in this
/// module rounds the same way (金额保留到分, 倍数保留一位小数).
extension Decimal {
    /// This value rounded to `scale` decimal places with `mode` (plain = half away from zero).
    public func rounded(scale: Int, _ mode: NSDecimalNumber.RoundingMode = .plain) -> Decimal {
        var value = self
        var result = Decimal()
        NSDecimalRound(&result, &value, scale, mode)
        return result
    }

    /// Money rounded to the fen (分), the unit of every amount on a settlement.
    public var roundedToFen: Decimal { rounded(scale: 2) }

    /// The smallest integer not below this value (向上取整), as an `Int`.
    var ceilingInt: Int { NSDecimalNumber(decimal: rounded(scale: 0, .up)).intValue }
}

extension Comparable {
    /// This value pulled into `range`; used wherever a computed figure must stay within the law's range.
    func clamped(to range: ClosedRange<Self>) -> Self {
        min(max(self, range.lowerBound), range.upperBound)
    }
}
