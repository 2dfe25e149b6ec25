import Foundation
import KnowledgeBase
import RuleEngine
import TrafficGenerator

/// Rule-quality report: generates labelled synthetic settlements and reviews them twice — in settlement
/// order and shuffled — each against the history before it, withdrawing what later claims contradict or
/// supersede, and scores the findings that stand: recall per pattern, false positives (a standing finding
/// the labels do not expect), mean fee lines per claim, throughput and p99 latency. In order a finding must
/// land on the labelled claim; shuffled, a history pattern may land on any settlement of its incident (the
/// one that arrives last completes it). Exits 1 unless every pattern's recall is 1.0 with no false positive.
///
/// usage: rule-quality [kb-directory] [--count N] [--seed S] [--rate R]

struct Options {
    var kbPath = "reference/kb"
    var count = 20_000
    var seed: UInt64 = 20_260_901
    var rate = 0.1

    init(_ arguments: [String]) {
        var args = arguments.makeIterator()
        while let arg = args.next() {
            switch arg {
            case "--count": count = Int(args.next() ?? "") ?? count
            case "--seed": seed = UInt64(args.next() ?? "") ?? seed
            case "--rate": rate = Double(args.next() ?? "") ?? rate
            default: kbPath = arg
            }
        }
    }
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
let kb: KnowledgeBase
do {
    kb = try KnowledgeBase.load(directory: URL(fileURLWithPath: options.kbPath))
} catch {
    FileHandle.standardError.write(Data("cannot load knowledge base at \(options.kbPath): \(error)\n".utf8))
    exit(2)
}
let engine = RuleEngine(knowledgeBase: kb, rules: .defaults)
let generated = TrafficGenerator(knowledgeBase: kb, configuration: GeneratorConfiguration(seed: options.seed, count: options.count,
                                                                                         violationRate: options.rate)).generate()
let claims = try generated.map { try $0.claim() }
let lines = claims.reduce(0) { $0 + $1.lines.count }
print("rule-quality  kb \(kb.version)  rules v\(RuleSet.defaults.version)  seed \(options.seed)  settlements \(claims.count)  "
      + "corrections \(claims.filter { $0.supersedes != nil }.count)")
print(String(format: "fee lines %d, mean %.2f per claim", lines, Double(lines) / Double(max(1, claims.count))))

var failed = false
for shuffled in [false, true] {
    let order = shuffled ? deterministicShuffle(Array(claims.indices), seed: options.seed) : Array(claims.indices)
    let review = StandingReview(engine: engine, claims: claims).run(order)
    let score = LabelScore(settlements: generated, claimIDs: claims.map(\.claimID), standing: review.standing, byIncident: shuffled)
    print("\n\(shuffled ? "shuffled" : "in settlement order")  withdrawn \(review.withdrawn) (superseded \(review.superseded), contradicted \(review.withdrawn - review.superseded))")
    print("pattern  expected  detected  recall")
    for n in 1...23 {
        let p = String(format: "P%02d", n)
        let t = score.tallies[p] ?? LabelScore.Tally()
        let recall = t.expected == 0 ? 0 : Double(t.detected) / Double(t.expected)
        if recall < 1 { failed = true }
        print(String(format: "%@  %8d  %8d  %.4f%@", p, t.expected, t.detected, recall, recall < 1 ? "  < 1.0" : ""))
    }
    if score.falsePositives > 0 { failed = true }
    print("clean claims \(score.clean), false positives \(score.falsePositives) "
          + (score.falseByPattern.isEmpty ? "" : "(" + score.falseByPattern.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ") + ")"))
    for example in score.examples.prefix(5) { print("  e.g. \(example)") }
    print(String(format: "throughput %.0f claims/s, p99 latency %d µs (review and withdrawals)", review.throughput, review.p99Micros))
}
exit(failed ? 1 : 0)
