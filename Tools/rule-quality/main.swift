import Foundation
import KnowledgeBase
import RuleEngine
import TrafficGenerator

/// Rule-quality report: generates labelled synthetic settlements, reviews each in settlement order
/// against the history before it, and prints recall per pattern, the false-positive rate on clean
/// claims, throughput and p99 latency. Exits 1 when recall < 0.98 for any pattern or FP > 0.2%.
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

struct Tally {
    var expected = 0
    var detected = 0
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

var history = InMemoryHistory()
var tallies: [String: Tally] = [:]
var clean = 0, falsePositive = 0, extraOnLabelled = 0
var falsePatterns: [String: Int] = [:]
var latencies: [UInt64] = []
latencies.reserveCapacity(claims.count)
let clock = ContinuousClock()
var total = Duration.zero

for (settlement, claim) in zip(generated, claims) {
    let started = clock.now
    let found = Set(engine.evaluate(claim, history: history).map(\.pattern))
    let elapsed = clock.now - started
    total += elapsed
    latencies.append(UInt64(elapsed.components.attoseconds / 1_000_000_000_000) + UInt64(elapsed.components.seconds) * 1_000_000)
    history.add(claim)
    let expected = settlement.expectedPatterns
    if expected.isEmpty {
        clean += 1
        if !found.isEmpty {
            falsePositive += 1
            for p in found { falsePatterns[p, default: 0] += 1 }
        }
    } else {
        for p in expected {
            tallies[p, default: Tally()].expected += 1
            if found.contains(p) { tallies[p, default: Tally()].detected += 1 }
        }
        if !found.subtracting(expected).isEmpty { extraOnLabelled += 1 }
    }
}

print("rule-quality  kb \(kb.version)  rules v\(RuleSet.defaults.version)  seed \(options.seed)  settlements \(claims.count)")
print("pattern  expected  detected  recall")
var failed = false
for n in 1...21 {
    let p = String(format: "P%02d", n)
    let t = tallies[p] ?? Tally()
    let recall = t.expected == 0 ? 0 : Double(t.detected) / Double(t.expected)
    if recall < 0.98 { failed = true }
    print(String(format: "%@  %8d  %8d  %.4f%@", p, t.expected, t.detected, recall, recall < 0.98 ? "  < 0.98" : ""))
}
let fpRate = clean == 0 ? 0 : Double(falsePositive) / Double(clean)
if fpRate > 0.002 { failed = true }
print(String(format: "clean claims %d, flagged %d, false-positive rate %.4f%%", clean, falsePositive, fpRate * 100))
if !falsePatterns.isEmpty {
    print("false positives by pattern: " + falsePatterns.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
}
print("labelled claims with an extra unexpected pattern: \(extraOnLabelled)")
let seconds = Double(total.components.seconds) + Double(total.components.attoseconds) / 1e18
latencies.sort()
let p99 = latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, latencies.count * 99 / 100)]
print(String(format: "throughput %.0f claims/s, p99 latency %d µs", Double(claims.count) / max(seconds, 1e-9), p99))
exit(failed ? 1 : 0)
