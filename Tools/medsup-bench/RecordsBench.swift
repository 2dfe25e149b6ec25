import ArgumentParser
import Events
import Foundation
import HISContract
import KnowledgeBase
import TrafficGenerator
import Timing

/// Reading the national record, alone on one thread: intake reads every bulk line and 3102 record
/// with `Patient.scan`, smart-review every `claims.accepted` event with `ClaimAccepted.readWithRecord`
/// (scripts/profile.sh at 2,000/s: ~40 and ~60 µs of CPU a claim). No service, broker or database:
/// the figure moves only with the reader's code, so a change to it is measured here, repeatably.
struct RecordsBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "records", abstract: "Time the strict reader of the national records.")
    @Option(help: "Generated settlements read per round.") var count = 20_000
    @Option(help: "Rounds (the best is reported).") var rounds = 5

    func run() throws {
        let kb = try KnowledgeBase.load(directory: URL(fileURLWithPath: "reference/kb"))
        let traffic = TrafficGenerator(knowledgeBase: kb, configuration: .atHospitalDensity(
            seed: 7, count: count, violationRate: 0.05, today: CivilDateTime.chinaNow().date)).generate()
        let encoder = HISJSON.encoder
        let lines = try traffic.map { Array(try encoder.encode($0.patient)) }
        let events = lines.enumerated().map { index, line in
            ClaimAccepted.json(claimId: "c\(index)", version: 1, supersedes: nil, msgid: "m\(index)", trigScen: 0, acceptedAt: Date(), patientJSON: line)
        }
        let bytes = lines.reduce(0) { $0 + $1.count }
        print("\(lines.count) records, \(bytes / lines.count) bytes and \(traffic.reduce(0) { $0 + $1.encounter.fsiOrderDtos.count } / lines.count) fee lines each on average")
        report("Patient.scan (intake: a bulk line, a 3102 record)", bytes: bytes, count: lines.count) {
            for line in lines { guard try Patient.scan(json: line).strict else { throw ValidationError("a record the strict reader refused") } }
        }
        report("ClaimAccepted.readWithRecord (smart-review: an event)", bytes: bytes, count: events.count) {
            for event in events { _ = try ClaimAccepted.readWithRecord(event) }
        }
    }

    /// The best of `rounds` runs of `body`, in µs a record and MB/s of records.
    private func report(_ name: String, bytes: Int, count: Int, _ body: () throws -> Void) {
        let clock = ContinuousClock()
        var best = Duration.seconds(1_000)
        for _ in 0..<rounds {
            let start = clock.now
            do { try body() } catch { print("\(name): \(error)"); return }
            best = min(best, clock.now - start)
        }
        print(String(format: "%@: %.2f µs a record, %.0f MB/s (best of %d rounds)", name, best.inSeconds * 1e6 / Double(count),
                     Double(bytes) / best.inSeconds / 1e6, rounds))
    }
}
