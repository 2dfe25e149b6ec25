import Foundation

/// Rounding and clamping of money and multiples, kept in one place so every calculation in this
/// module rounds the same way (金额保留到分, 倍数保留一位小数).
extension Decimal {
    /// This value rounded to `scale` decimal places with `mode` (plain = half away from zero).
    func rounded(scale: Int, _ mode: NSDecimalNumber.RoundingMode = .plain) -> Decimal {
        var value = self
        var result = Decimal()
        NSDecimalRound(&result, &value, scale, mode)
        return result
    }

    /// Money rounded to the fen (分), the unit of every amount on a settlement.
    var roundedToFen: Decimal { rounded(scale: 2) }

    /// This value rounded to a whole number with `mode`, as an `Int` (e.g. months, a sample size).
    func roundedInt(_ mode: NSDecimalNumber.RoundingMode = .plain) -> Int {
        NSDecimalNumber(decimal: rounded(scale: 0, mode)).intValue
    }
}

extension Comparable {
    /// This value pulled into `range`; used wherever a computed figure must stay within the law's range.
    func clamped(to range: ClosedRange<Self>) -> Self {
        min(max(self, range.lowerBound), range.upperBound)
    }
}
