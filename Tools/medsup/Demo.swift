import ArgumentParser
import Foundation
import HISContract
import KnowledgeBase
import PlatformClient
import TrafficGenerator

/// Drives synthetic hospital traffic through the 3102 interface (clean claims and injected
/// instances of every pattern), waits for the review to finish, lets the scripted reviewers work the
/// queue (`DemoAftermath`) and prints what happened.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Push generated settlements through 3102 and summarise.")
    @OptionGroup var endpoints: Endpoints
    @Option(help: "Settlements to push.") var count = 3_000
    @Option(help: "Generator seed.") var seed: UInt64 = 2026
    @Option(help: "Reference data directory.") var reference = "reference/kb"
    @Option(help: "Settlements per 3102 call.") var perCall = 20
    @Option(help: "Workbench items the scripted reviewers decide at most.") var reviewItems = 200
    @Option(help: "Region of the console's demo accounts, where the scripted reviewers leave items waiting.") var consoleRegion = "430100"
    @Option(help: "First-level items left waiting in the console's region.") var leaveWaiting = 5

    func run() async throws {
        let kb = try KnowledgeBase.load(directory: URL(fileURLWithPath: reference))
        let traffic = TrafficGenerator(knowledgeBase: kb, configuration: .atHospitalDensity(seed: seed, count: count, violationRate: 0.15,
                                                                                            today: CivilDateTime.chinaNow().date)).generate()
        let platform = try await endpoints.platform()
        var progress = Progress(total: traffic.count)
        let answered = try await HospitalPush(platform: platform).push(traffic.map(\.patient), perCall: perCall) { progress.advance(by: $0) }
        progress.finish()
        try await summarise(traffic: traffic, answered: answered, platform: platform)
        let regions = Set(traffic.compactMap { kb.institutions[$0.encounter.medinsId]?.admdvs }).sorted()
        try await DemoAftermath(platform: platform, regions: regions, maxItems: reviewItems,
                               leaveWaiting: [consoleRegion: leaveWaiting]).run()
        print("\nWhere to look: the reviewers' console \(endpoints.review)/console · coverage \(endpoints.review)/api/coverage"
              + " · the public feed \(endpoints.notification)/public/cases (Atom: /public/cases.atom)")
        print("Metrics: " + platform.services.map { "\($0.url)/metrics" }.joined(separator: " · "))
    }

    private func summarise(traffic: [LabeledSettlement], answered: [String: Int], platform: Platform) async throws {
        let coverage = try await platform.awaitCoverage(of: traffic.count, timeout: .seconds(60))
        let found = API.json(try await API.retrying { try await API.call("GET", "\(endpoints.review)/api/findings/summary") })
        var expected: [String: Int] = [:]
        for settlement in traffic { for pattern in settlement.expectedPatterns { expected[pattern, default: 0] += 1 } }
        print("\nSettlements pushed through 3102: \(traffic.count)")
        print("Claims accepted (received by smart-review): \(coverage.claimsReceived), reviewed: \(coverage.claimsReviewed)"
              + " (not reviewed: \(coverage.notReviewed.count))")
        print("pattern  injected  in 3102 answers  findings after review")
        for pattern in Set(expected.keys).union(found.keys).sorted() {
            print("\(pattern.padding(toLength: 12, withPad: " ", startingAt: 0)) \(String(format: "%5d", expected[pattern] ?? 0))  \(String(format: "%10d", answered[pattern] ?? 0))  \(String(format: "%14d", found[pattern] as? Int ?? 0))")
        }
    }
}

/// A progress bar on standard error.
struct Progress {
    let total: Int
    var done = 0

    init(total: Int) { self.total = total }

    mutating func advance(by count: Int) {
        let width = 40, before = total == 0 ? width : width * done / total
        done += count
        let filled = total == 0 ? width : width * done / total
        guard filled != before || done == total else { return } // redraw only when the bar moves
        FileHandle.standardError.write(Data("\r[\(String(repeating: "#", count: filled))\(String(repeating: ".", count: width - filled))] \(done)/\(total) settlements".utf8))
    }

    func finish() { FileHandle.standardError.write(Data("\n".utf8)) }
}
