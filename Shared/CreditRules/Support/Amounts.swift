import Foundation

/// Amounts are `Decimal` yuan (元) on every public type, as in the settlement data; scoring works in
/// `Double`, so the conversion lives in one place.
enum Amounts {
    static func double(_ amount: Decimal) -> Double {
        NSDecimalNumber(decimal: amount).doubleValue
    }

    /// "12345.60" — two decimals, for reasons a person reads.
    static func yuan(_ amount: Decimal) -> String {
        String(format: "%.2f", double(amount))
    }

    /// One decimal, for score contributions in reasons.
    static func points(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}
