import Foundation

/// How an institution's credit grade (信用等级, kept by the credit service) weighs on the fine the
/// discretion calculator proposes: a good record softens it, a poor one hardens it, always inside the
/// article's range (the calculator clamps). No grade known yet weighs nothing.
public enum CreditFactor {
    public static let byGrade: [String: Decimal] = ["A": 0.9, "B": 1.0, "C": 1.1, "D": 1.2]

    public static func forGrade(_ grade: String?) -> Decimal { grade.flatMap { byGrade[$0] } ?? 1 }
}
