import ArgumentParser
import Foundation
import HISContract
import KnowledgeBase
import SettlementValidation
import TrafficGenerator
import Timing

/// intake's edge alone, in this process: reading each bulk line (`Patient.scan`) and its checks
/// (`SettlementValidator`), the CPU every settlement costs before any I/O.
struct EdgeBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "edge", abstract: "intake's reading and checks of a settlement, alone.")

    @Option(help: "Settlements.") var count = 20_000
    @Option(help: "Rounds over them (the best is printed).") var rounds = 3

    func run() async throws {
        let kb = try KnowledgeBase.load(directory: URL(fileURLWithPath: "reference/kb"))
        let traffic = TrafficGenerator(knowledgeBase: kb, configuration: .atHospitalDensity(
            seed: 7, count: count, violationRate: 0.05, today: CivilDateTime.chinaNow().date)).generate()
        let encoder = HISJSON.encoder
        let lines = try traffic.map { (Array(try encoder.encode($0.patient)), $0.encounter.medinsId) }
        let clock = ContinuousClock()
        var best = (scan: Duration.seconds(3600), validate: Duration.seconds(3600)), refused = 0
        for _ in 0..<rounds {
            var scanning = Duration.zero, validating = Duration.zero
            refused = 0
            for (line, institution) in lines {
                let start = clock.now
                let (patient, _) = try Patient.scan(json: line[...])
                let scanned = clock.now
                let validator = SettlementValidator(registry: kb, institution: institution, now: .chinaNow())
                if !validator.validate(patient, path: "line", settling: true, receivedBytes: line.count).isEmpty { refused += 1 }
                validating += clock.now - scanned
                scanning += scanned - start
            }
            best = (min(best.scan, scanning), min(best.validate, validating))
        }
        let perClaim = { (d: Duration) in d.inMicroseconds / Double(count) }
        print(String(format: "%d settlements, %d refused: reading %.1f µs, checks %.1f µs a settlement (best of %d)",
                     count, refused, perClaim(best.scan), perClaim(best.validate), rounds))
    }
}
