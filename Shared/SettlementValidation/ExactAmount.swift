import Foundation

/// Amounts as whole ten-thousandths of a yuan in 64 bits, for adding up a settlement's lines:
/// adding `Decimal`s cost ~330 ns each (a tenth of a settlement's checks, `medsup-bench edge`),
/// reading one as a whole number ~90 ns. Exact or nothing: a value with more places, or too large
/// for 64 bits, gives nil, and the caller adds the `Decimal`s as before.
enum ExactAmount {
    /// Places kept: prices are quoted to 4 (元 to 0.0001), amounts to 2.
    static let places = 4
    private static let powersOfTen: [Int64] = (0...18).map { power in (0..<power).reduce(1) { product, _ in product * 10 } }
    /// The largest significand read: 18 digits, so that no conversion below can overflow unseen.
    private static let largestSignificand = Decimal(999_999_999_999_999_999 as Int64)

    /// `value` × 10⁴, when that is a whole number within 64 bits.
    static func units(_ value: Decimal) -> Int64? {
        guard !value.isNaN else { return nil }
        if value.isZero { return 0 }
        let shift = value.exponent + places
        guard (0...18).contains(shift) else { return nil }
        let significand = value.significand
        guard significand <= largestSignificand else { return nil }
        let (scaled, overflow) = NSDecimalNumber(decimal: significand).int64Value.multipliedReportingOverflow(by: powersOfTen[shift])
        guard !overflow else { return nil }
        return value.sign == .minus ? -scaled : scaled
    }

    /// Whether `values` add up to `total`; nil when one of them is not exact in 64 bits or the sum overflows.
    static func addUp(_ values: some Sequence<Decimal>, to total: Decimal) -> Bool? {
        guard let expected = units(total) else { return nil }
        var sum: Int64 = 0
        for value in values {
            guard let units = units(value) else { return nil }
            let (next, overflow) = sum.addingReportingOverflow(units)
            guard !overflow else { return nil }
            sum = next
        }
        return sum == expected
    }
}
