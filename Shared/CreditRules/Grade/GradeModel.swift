/// Credit grade (信用等级), A best to D worst.
public enum CreditGrade: String, Sendable, Codable, CaseIterable, Comparable {
    case A, B, C, D

    /// A < B < C < D: "less than" means "better than".
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// Score limits for the grades: A at or above `a`, B at or above `b`, C at or above `c`, else D.
public struct GradeThresholds: Sendable, Codable, Equatable {
    public var a: Double
    public var b: Double
    public var c: Double

    public init(a: Double, b: Double, c: Double) {
        self.a = a
        self.b = b
        self.c = c
    }

    public func grade(for score: Double) -> CreditGrade {
        score >= a ? .A : score >= b ? .B : score >= c ? .C : .D
    }
}

/// The credit scoring model as versioned data (信用评价模型). A bureau changes weights by publishing a
/// new version; every `GradeResult` names the version it came from, so a grade can be explained and
/// recomputed later.
///
/// score = clamp(base − Σ negatives·decay + min(Σ positives·decay, positiveCap), 0, maxScore),
/// rounded to one decimal, then graded by `thresholds`; decay = 0.5^(age in days / halfLifeDays);
/// facts older than `lookbackDays`, reversed by an upheld objection or repaired do not count.
public struct GradeModel: Sendable, Codable, Equatable {
    public var version: String
    /// Score of a subject with an empty file: a clean record is A with a margin for a minor slip.
    public var baseScore: Double
    public var maxScore: Double
    /// Points a confirmed violation costs by gravity, before the amount and decay.
    public var violationPoints: GravityTable<Double>
    /// Additional points per 10 000 yuan involved in a violation …
    public var amountPointsPer10kYuan: Double
    /// … capped per violation, so one huge amount cannot outweigh gravity entirely.
    public var amountPointsCap: Double
    /// A broken commitment (违反告知承诺).
    public var brokenCommitmentPoints: Double
    /// Overdue contributions (欠缴医保费).
    public var overdueContributionPoints: Double
    /// A kept commitment (履行告知承诺), positive.
    public var keptCommitmentPoints: Double
    /// Voluntary self-correction (自查自纠), positive, plus points per 10 000 yuan refunded.
    public var selfCorrectionPoints: Double
    public var selfCorrectionPointsPer10kYuan: Double
    /// Positive signals together never add more than this, so they cannot buy off a fraud case.
    public var positiveCap: Double
    public var halfLifeDays: Double
    public var lookbackDays: Int
    /// A fraud violation in force and at most this many days old caps the grade at D, whatever the
    /// score (欺诈骗保 is 失信 by definition). 0 disables the cap.
    public var fraudCapDays: Int
    public var thresholds: GradeThresholds

    public init(version: String, baseScore: Double, maxScore: Double, violationPoints: GravityTable<Double>,
                amountPointsPer10kYuan: Double, amountPointsCap: Double, brokenCommitmentPoints: Double,
                overdueContributionPoints: Double, keptCommitmentPoints: Double, selfCorrectionPoints: Double,
                selfCorrectionPointsPer10kYuan: Double, positiveCap: Double, halfLifeDays: Double, lookbackDays: Int,
                fraudCapDays: Int, thresholds: GradeThresholds) {
        self.version = version
        self.baseScore = baseScore
        self.maxScore = maxScore
        self.violationPoints = violationPoints
        self.amountPointsPer10kYuan = amountPointsPer10kYuan
        self.amountPointsCap = amountPointsCap
        self.brokenCommitmentPoints = brokenCommitmentPoints
        self.overdueContributionPoints = overdueContributionPoints
        self.keptCommitmentPoints = keptCommitmentPoints
        self.selfCorrectionPoints = selfCorrectionPoints
        self.selfCorrectionPointsPer10kYuan = selfCorrectionPointsPer10kYuan
        self.positiveCap = positiveCap
        self.halfLifeDays = halfLifeDays
        self.lookbackDays = lookbackDays
        self.fraudCapDays = fraudCapDays
        self.thresholds = thresholds
    }

    /// The default model, version "credit-grade-v1":
    /// base 95 (max 100); violations minor 3 / general 8 / serious 15 / fraud 40 points, plus 1 point
    /// per 10 000 yuan up to 15; broken commitment 10; overdue contributions 5; kept commitment +2,
    /// self-correction +3 and +0.5 per 10 000 yuan refunded, positives capped at +10; half-life 365
    /// days, look-back 3 years; fraud within 365 days caps at D; A ≥ 90, B ≥ 75, C ≥ 60.
    /// So a clean file is A (95), a fresh minor violation stays A (92), a fresh general violation of
    /// 50 000 yuan gives B (82) and is back to A after about 1.4 years, a fresh serious one of
    /// 100 000 yuan C (70), a fraud D for at least a year.
    public static let `default` = GradeModel(
        version: "credit-grade-v1", baseScore: 95, maxScore: 100,
        violationPoints: GravityTable(minor: 3, general: 8, serious: 15, fraud: 40),
        amountPointsPer10kYuan: 1, amountPointsCap: 15, brokenCommitmentPoints: 10, overdueContributionPoints: 5,
        keptCommitmentPoints: 2, selfCorrectionPoints: 3, selfCorrectionPointsPer10kYuan: 0.5, positiveCap: 10,
        halfLifeDays: 365, lookbackDays: 1095, fraudCapDays: 365,
        thresholds: GradeThresholds(a: 90, b: 75, c: 60))
}
