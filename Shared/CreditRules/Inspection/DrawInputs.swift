/// A candidate of the random-inspection target directory (随机抽查检查对象名录库).
public struct InspectionTarget: Sendable, Codable, Equatable {
    public var fixmedinsCode: String
    public var grade: CreditGrade
    /// Extra weight from risk (e.g. the region's risk level or open clues); 1 is neutral, 0 keeps the
    /// institution in the directory but out of this draw.
    public var riskWeight: Double

    public init(fixmedinsCode: String, grade: CreditGrade, riskWeight: Double = 1) {
        self.fixmedinsCode = fixmedinsCode
        self.grade = grade
        self.riskWeight = riskWeight
    }
}

/// A member of the inspector directory (执法检查人员名录库) with what makes them conflicted.
public struct Inspector: Sendable, Codable, Equatable {
    public var id: String
    /// Institutions the inspector worked for (回避: 曾任职单位).
    public var pastEmployers: Set<String>
    /// Institutions the inspector inspected in the previous round (不得连续检查同一对象).
    public var lastInspected: Set<String>

    public init(id: String, pastEmployers: Set<String> = [], lastInspected: Set<String> = []) {
        self.id = id
        self.pastEmployers = pastEmployers
        self.lastInspected = lastInspected
    }

    public func isConflicted(with fixmedinsCode: String) -> Bool {
        pastEmployers.contains(fixmedinsCode) || lastInspected.contains(fixmedinsCode)
    }
}

/// Selection weights by grade: a worse grade is drawn more often (与信用等级挂钩的抽查比例).
/// A target's weight is `grades[grade] × riskWeight`.
public struct DrawWeights: Sendable, Codable, Equatable {
    public var version: String
    public var a: Double
    public var b: Double
    public var c: Double
    public var d: Double

    public init(version: String, a: Double, b: Double, c: Double, d: Double) {
        self.version = version
        self.a = a
        self.b = b
        self.c = c
        self.d = d
    }

    public subscript(grade: CreditGrade) -> Double {
        switch grade {
        case .A: a
        case .B: b
        case .C: c
        case .D: d
        }
    }

    /// A 1, B 2, C 4, D 8: each grade down doubles the chance of being drawn, the same ratio as the
    /// inspection frequencies A yearly … D monthly are meant to produce over a year.
    public static let `default` = DrawWeights(version: "draw-weights-v1", a: 1, b: 2, c: 4, d: 8)
}

/// Everything a draw depends on. Order of `targets` and `inspectors` does not matter: both are
/// sorted (by code, by id) before drawing.
public struct InspectionDrawRequest: Sendable, Codable, Equatable {
    public var targets: [InspectionTarget]
    public var inspectors: [Inspector]
    /// N: how many targets to draw.
    public var targetCount: Int
    /// K: inspectors per target.
    public var inspectorsPerTarget: Int
    public var seed: UInt64
    public var weights: DrawWeights

    public init(targets: [InspectionTarget], inspectors: [Inspector], targetCount: Int, inspectorsPerTarget: Int,
                seed: UInt64, weights: DrawWeights = .default) {
        self.targets = targets
        self.inspectors = inspectors
        self.targetCount = targetCount
        self.inspectorsPerTarget = inspectorsPerTarget
        self.seed = seed
        self.weights = weights
    }
}

public enum InspectionDrawError: Error, Sendable, Equatable {
    case invalidCount(targetCount: Int, inspectorsPerTarget: Int)
    case duplicateTarget(String)
    case duplicateInspector(String)
    case invalidWeight(target: String, weight: Double)
    /// Fewer targets with a positive weight than requested.
    case notEnoughTargets(requested: Int, available: Int)
    /// A drawn target has fewer conflict-free inspectors than `inspectorsPerTarget`.
    case notEnoughInspectors(target: String, eligible: Int, needed: Int)
}
