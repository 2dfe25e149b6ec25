import Crypto
/// The double-random draw (双随机: random targets, random inspectors), deterministic from its seed.
///
/// Algorithm "sequential-weighted-splitmix64-v1", all randomness from one `SplitMix64(seed:)`:
/// 1. targets sorted by code, inspectors by id; a target's weight is `weights[grade] × riskWeight`;
/// 2. N times: u = nextUnit() × (sum of remaining weights); take the first remaining target whose
///    running weight sum exceeds u; remove it (sampling without replacement);
/// 3. for each drawn target in draw order: the inspectors without a conflict (past employer, or
///    inspected it last time), in id order; K times take index nextIndex(below: count) and remove it.
/// Inspectors are drawn independently per target, so one inspector may serve several targets.
public enum InspectionDraw {
    public static let algorithm = "sequential-weighted-splitmix64-v1"

    public static func draw(_ request: InspectionDrawRequest) throws(InspectionDrawError) -> InspectionPlan {
        let n = request.targetCount, k = request.inspectorsPerTarget
        guard n >= 1, k >= 1 else { throw .invalidCount(targetCount: n, inspectorsPerTarget: k) }
        let targets = request.targets.sorted { $0.fixmedinsCode < $1.fixmedinsCode }
        let inspectors = request.inspectors.sorted { $0.id < $1.id }
        if let dup = firstDuplicate(targets.map(\.fixmedinsCode)) { throw .duplicateTarget(dup) }
        if let dup = firstDuplicate(inspectors.map(\.id)) { throw .duplicateInspector(dup) }

        var pool: [TargetWeight] = []
        for target in targets {
            let weight = request.weights[target.grade] * target.riskWeight
            guard weight.isFinite, weight >= 0 else { throw .invalidWeight(target: target.fixmedinsCode, weight: weight) }
            pool.append(TargetWeight(fixmedinsCode: target.fixmedinsCode, grade: target.grade, riskWeight: target.riskWeight, weight: weight))
        }
        let available = pool.filter { $0.weight > 0 }.count
        guard available >= n else { throw .notEnoughTargets(requested: n, available: available) }

        var rng = SplitMix64(seed: request.seed)
        var remaining = pool.filter { $0.weight > 0 }
        var drawn: [(TargetWeight, Double)] = []
        for _ in 0..<n {
            let total = remaining.reduce(0) { $0 + $1.weight }
            let u = rng.nextUnit() * total
            var running = 0.0
            // Rounding can leave u at the very end of the range: fall back to the last candidate.
            var pick = remaining.count - 1
            for (i, candidate) in remaining.enumerated() {
                running += candidate.weight
                if u < running { pick = i; break }
            }
            drawn.append((remaining[pick], remaining[pick].weight / total))
            remaining.remove(at: pick)
        }

        var assignments: [InspectionAssignment] = []
        for (index, (target, probability)) in drawn.enumerated() {
            var eligible = inspectors.filter { !$0.isConflicted(with: target.fixmedinsCode) }.map(\.id)
            guard eligible.count >= k else { throw .notEnoughInspectors(target: target.fixmedinsCode, eligible: eligible.count, needed: k) }
            var chosen: [String] = []
            for _ in 0..<k { chosen.append(eligible.remove(at: rng.nextIndex(below: eligible.count))) }
            assignments.append(InspectionAssignment(order: index + 1, fixmedinsCode: target.fixmedinsCode, grade: target.grade,
                                                    weight: target.weight, drawProbability: probability, inspectorIds: chosen))
        }
        return InspectionPlan(algorithm: algorithm, seed: request.seed, inputFingerprint: fingerprint(canonicalInput(request)),
                              weights: request.weights, targetCount: n, inspectorsPerTarget: k,
                              targetWeights: pool, assignments: assignments)
    }

    /// Lower-case hex SHA-256 of `text` (swift-crypto): the plan's `inputFingerprint`.
    public static func fingerprint(_ text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).map { byte in byte < 16 ? "0" + String(byte, radix: 16) : String(byte, radix: 16) }.joined()
    }

    /// The text whose SHA-256 is the plan's `inputFingerprint`: everything but the seed, one item a
    /// line, sorted, tab-separated, sets sorted and comma-joined, numbers in Swift's shortest
    /// round-trip form. Publishing it with the plan lets anyone check the inputs and re-run the draw.
    public static func canonicalInput(_ request: InspectionDrawRequest) -> String {
        var lines = [algorithm, "weights\t\(request.weights.version)\tA=\(request.weights.a)\tB=\(request.weights.b)\tC=\(request.weights.c)\tD=\(request.weights.d)",
                     "targetCount\t\(request.targetCount)", "inspectorsPerTarget\t\(request.inspectorsPerTarget)"]
        for t in request.targets.sorted(by: { $0.fixmedinsCode < $1.fixmedinsCode }) {
            lines.append("target\t\(t.fixmedinsCode)\t\(t.grade.rawValue)\t\(t.riskWeight)")
        }
        for i in request.inspectors.sorted(by: { $0.id < $1.id }) {
            lines.append("inspector\t\(i.id)\t\(i.pastEmployers.sorted().joined(separator: ","))\t\(i.lastInspected.sorted().joined(separator: ","))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func firstDuplicate(_ sortedKeys: [String]) -> String? {
        zip(sortedKeys, sortedKeys.dropFirst()).first { $0 == $1 }?.0
    }
}
