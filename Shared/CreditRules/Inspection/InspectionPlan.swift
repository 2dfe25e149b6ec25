/// One candidate's weight in the draw, published with the plan.
public struct TargetWeight: Sendable, Codable, Equatable {
    public var fixmedinsCode: String
    public var grade: CreditGrade
    public var riskWeight: Double
    public var weight: Double
}

public struct InspectionAssignment: Sendable, Codable, Equatable {
    /// 1-based draw order.
    public var order: Int
    public var fixmedinsCode: String
    public var grade: CreditGrade
    public var weight: Double
    /// The target's chance at the moment it was drawn (its weight over the remaining total).
    public var drawProbability: Double
    /// In the order drawn; conflicted inspectors are never among them.
    public var inspectorIds: [String]
}

/// The result of a double-random draw (双随机、一公开), with what is needed to re-run and check it:
/// the algorithm name, the seed, the weights and the SHA-256 of the canonical input
/// (`InspectionDraw.canonicalInput`).
public struct InspectionPlan: Sendable, Codable, Equatable {
    public var algorithm: String
    public var seed: UInt64
    public var inputFingerprint: String
    public var weights: DrawWeights
    public var targetCount: Int
    public var inspectorsPerTarget: Int
    /// The whole pool, sorted by code.
    public var targetWeights: [TargetWeight]
    public var assignments: [InspectionAssignment]
}
