import Foundation

/// A first-level reviewer's decision on one item (初审结论), as the second-level sampling sees it.
public struct FirstDecision: Codable, Sendable, Equatable {
    /// The review item (a finding or claim) decided; unique within one sampling run.
    public var itemID: String
    public var reviewer: String
    public var severity: Severity
    /// Amount at stake in yuan.
    public var amount: Decimal
    /// The institution (medins_id) whose claim it is: its credit may raise its share (`IncreasedReview`).
    public var institution: String?

    public init(itemID: String, reviewer: String, severity: Severity, amount: Decimal, institution: String? = nil) {
        self.itemID = itemID
        self.reviewer = reviewer
        self.severity = severity
        self.amount = amount
        self.institution = institution
    }
}

/// 提高审核比例: the institutions whose first-review results are drawn at a higher rate than the others
/// (credit grade C, `SanctionMeasure.increasedReview`), as they stood when the draw was made. It is stored
/// with the draw, so a replay after credit lifted the grade still draws the same set.
public struct IncreasedReview: Codable, Sendable, Equatable {
    /// medins_id, sorted.
    public var institutions: [String]
    /// A fraction (0.2 = 20%), never below the ordinary share.
    public var percentage: Decimal

    public init(institutions: some Sequence<String>, percentage: Decimal) {
        self.institutions = Array(Set(institutions)).sorted()
        self.percentage = percentage
    }
}

/// What makes a first-level decision high-risk, so it always goes to second-level review.
public struct HighRiskCriteria: Codable, Sendable, Equatable {
    /// A decision at or above this severity is high-risk.
    public var minimumSeverity: Severity
    /// A decision with an amount at or above this (yuan) is high-risk.
    public var amountThreshold: Decimal

    public init(minimumSeverity: Severity = .violation, amountThreshold: Decimal = 10_000) {
        self.minimumSeverity = minimumSeverity
        self.amountThreshold = amountThreshold
    }

    public func isHighRisk(_ decision: FirstDecision) -> Bool {
        decision.severity >= minimumSeverity || decision.amount >= amountThreshold
    }
}

/// The second-level sample (复审抽样) and everything needed to replay it for an audit: the seed,
/// the percentage asked for and applied, the criteria and the population in the order drawn from.
public struct Selection: Codable, Sendable, Equatable {
    public var seed: UInt64
    public var requestedPercentage: Decimal
    /// The percentage used: the request raised to the 5% floor (不低于5%) and capped at 100%.
    public var appliedPercentage: Decimal
    public var criteria: HighRiskCriteria
    /// Item ids of all first-level decisions, sorted: the order the draw is made from.
    public var population: [String]
    /// ceil(appliedPercentage × population count).
    public var randomCount: Int
    /// Items drawn at random, in draw order.
    public var randomItemIDs: [String]
    /// Items selected because they are high-risk, in population order.
    public var highRiskItemIDs: [String]
    /// The union of all, in population order: what goes to the second level.
    public var selectedItemIDs: [String]
    /// The higher share asked for some institutions, nil when none was under it.
    public var increasedReview: IncreasedReview? = nil
    /// Items of those institutions drawn on top of the ordinary draw to reach their higher share, in draw order.
    public var increasedItemIDs: [String]? = nil

    public func contains(_ itemID: String) -> Bool { selectedItemIDs.contains(itemID) }
}

/// The floor of the random second-level sample: "随机抽查复审不低于5%".
public let minimumSecondReviewPercentage: Decimal = 0.05

/// Chooses the first-level decisions for second-level review (初审复审两级审核): at least
/// ceil(percentage × count) drawn at random from all decisions, plus every high-risk decision.
///
/// `percentage` is a fraction (0.05 = 5%); below the 5% floor it is raised to it. The draw is a
/// partial Fisher–Yates shuffle driven by `SplitMix64(seed:)` over the decisions sorted by item id,
/// so the same seed and the same decisions, in any input order, give the same selection. The random
/// part is drawn from the whole population (a true random sample, usable to estimate the first level's
/// error rate); a drawn item that is also high-risk is counted once.
///
/// `increased` (grade C, 提高审核比例): after the ordinary draw, which it leaves as it is, the same generator
/// draws further decisions of those institutions until ceil(increased share × their count) of them are drawn
/// at random. The ordinary share stays a random sample of the whole population; the institution's share rises.
public func secondReviewSelection(decisions: [FirstDecision], percentage: Decimal, seed: UInt64,
                                  criteria: HighRiskCriteria = HighRiskCriteria(), increased: IncreasedReview? = nil) -> Selection {
    let sorted = decisions.sorted { ($0.itemID, $0.reviewer) < ($1.itemID, $1.reviewer) }
    let applied = percentage.clamped(to: minimumSecondReviewPercentage...1)
    let count = sorted.count
    let randomCount = min(count, (applied * Decimal(count)).roundedInt(.up))

    var generator = SplitMix64(seed: seed)
    var indexes = Array(sorted.indices)
    for position in 0..<randomCount {
        let pick = position + Int(generator.next(below: UInt64(count - position)))
        indexes.swapAt(position, pick)
    }
    let drawn = Array(indexes.prefix(randomCount))
    var drawnSet = Set(drawn)
    let extra = increased.map { increasedDraw($0, of: sorted, applied: applied, drawn: drawnSet, generator: &generator) } ?? []
    drawnSet.formUnion(extra)
    let highRisk = sorted.indices.filter { criteria.isHighRisk(sorted[$0]) }
    let selected = sorted.indices.filter { drawnSet.contains($0) || criteria.isHighRisk(sorted[$0]) }

    var selection = Selection(seed: seed, requestedPercentage: percentage, appliedPercentage: applied, criteria: criteria,
                              population: sorted.map(\.itemID), randomCount: randomCount,
                              randomItemIDs: drawn.map { sorted[$0].itemID },
                              highRiskItemIDs: highRisk.map { sorted[$0].itemID },
                              selectedItemIDs: selected.map { sorted[$0].itemID })
    if let increased, !increased.institutions.isEmpty {
        selection.increasedReview = increased
        selection.increasedItemIDs = extra.map { sorted[$0].itemID }
    }
    return selection
}

/// The top-up draw of `secondReviewSelection` for institutions under increased review: indexes of `sorted`
/// not drawn yet, partial Fisher–Yates over that stratum in population order, continuing `generator`.
private func increasedDraw(_ increased: IncreasedReview, of sorted: [FirstDecision], applied: Decimal, drawn: Set<Int>,
                           generator: inout SplitMix64) -> [Int] {
    let institutions = Set(increased.institutions)
    let stratum = sorted.indices.filter { sorted[$0].institution.map(institutions.contains) ?? false }
    let rate = increased.percentage.clamped(to: applied...1)
    let target = min(stratum.count, (rate * Decimal(stratum.count)).roundedInt(.up))
    var rest = stratum.filter { !drawn.contains($0) }
    let need = max(0, target - (stratum.count - rest.count))
    for position in 0..<need {
        let pick = position + Int(generator.next(below: UInt64(rest.count - position)))
        rest.swapAt(position, pick)
    }
    return Array(rest.prefix(need))
}
