import Foundation
import RuleEngine

/// Standing findings against the labels. A finding is expected when its claim is labelled with its
/// pattern or, with `byIncident`, when an incident of its claim is labelled with it; anything else is a
/// false positive. A label is detected when the pattern stands on its claim (or on its incident).
public struct LabelScore: Sendable {
    public struct Tally: Sendable {
        public var expected = 0
        public var detected = 0
        public init() {}
    }

    public var tallies: [String: Tally] = [:]
    public var clean = 0
    public var falsePositives = 0
    public var falseByPattern: [String: Int] = [:]
    public var examples: [String] = []

    public init(settlements: [LabeledSettlement], claimIDs: [String], standing: [[Finding]], byIncident: Bool) {
        let found = standing.map { Set($0.map(\.pattern)) }
        var incidentExpected: [String: Set<String>] = [:], incidentFound: [String: Set<String>] = [:]
        for (i, s) in settlements.enumerated() {
            for incident in s.incidents {
                incidentExpected[incident, default: []].formUnion(s.expectedPatterns)
                incidentFound[incident, default: []].formUnion(found[i])
            }
        }
        for (i, s) in settlements.enumerated() {
            if s.expectedPatterns.isEmpty { clean += 1 }
            var allowed = s.expectedPatterns
            if byIncident { for incident in s.incidents { allowed.formUnion(incidentExpected[incident] ?? []) } }
            let unexpected = found[i].subtracting(allowed)
            if !unexpected.isEmpty {
                falsePositives += 1
                for p in unexpected { falseByPattern[p, default: 0] += 1 }
                examples.append("\(claimIDs[i]) expected \(s.expectedPatterns.sorted()) found \(found[i].sorted()): "
                                + standing[i].filter { unexpected.contains($0.pattern) }.map(\.explanation).joined(separator: " | "))
            }
            for p in s.expectedPatterns {
                tallies[p, default: Tally()].expected += 1
                let hit = found[i].contains(p) || (byIncident && s.incidents.contains { incidentFound[$0]?.contains(p) == true })
                if hit { tallies[p, default: Tally()].detected += 1 }
            }
        }
    }
}

/// A reproducible permutation (SplitMix64-driven Fisher-Yates), so a shuffled run can be replayed.
public func deterministicShuffle(_ items: [Int], seed: UInt64) -> [Int] {
    var state = seed
    func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    var result = items
    for i in stride(from: result.count - 1, to: 0, by: -1) {
        result.swapAt(i, Int(next() % UInt64(i + 1)))
    }
    return result
}
