import Crypto
import Foundation

/// The seed of a second-review draw, derived from what is drawn rather than from the clock, so that
/// re-running the draw of a period (or of a batch) gives the same set: the first 8 bytes of
/// SHA-256(key | scope). The key (`REVIEW_SAMPLE_SEED_KEY`) is the bureau's; an auditor who has it
/// replays every draw, and a reviewer who does not cannot predict which results will be rechecked.
public enum SampleSeed {
    public static func seed(key: String, scope: String) -> UInt64 {
        let digest = SHA256.hash(data: Data("\(key)|\(scope)".utf8))
        return digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    /// The scope of a batch of first-level decisions: its population, in the order drawn from.
    public static func batchScope(_ itemIDs: [String]) -> String { "decisions:" + itemIDs.sorted().joined(separator: ",") }

    /// The scope of a day's machine-passed claims (yyyy-MM-dd, China Standard Time).
    public static func machinePassedScope(_ day: String) -> String { "machine-passed:" + day }
}

/// The recheck of the machine's own first review (初审): of the claims it passed without a finding on one
/// day, at least the configured share (never under 5%) goes to the second level, drawn as the decisions are
/// ("复审抽查比例不低于5%" covers the first review's results, the clean ones included).
///
/// `increased` raises the share of the institutions it names (grade C), `institutions` giving each claim's
/// institution, as `secondReviewSelection` does for decisions.
public func machinePassedSelection(claims: [String], percentage: Decimal, seed: UInt64, increased: IncreasedReview? = nil,
                                   institutions: [String: String] = [:]) -> Selection {
    let passed = claims.map { FirstDecision(itemID: $0, reviewer: "machine", severity: .reminder, amount: 0, institution: institutions[$0]) }
    // Nothing a machine passed is high-risk by itself: the share is all random.
    let none = HighRiskCriteria(minimumSeverity: .violation, amountThreshold: .greatestFiniteMagnitude)
    return secondReviewSelection(decisions: passed, percentage: percentage, seed: seed, criteria: none, increased: increased)
}
