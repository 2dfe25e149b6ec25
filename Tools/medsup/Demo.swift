import ArgumentParser
import Foundation
import HISContract
import KnowledgeBase
import TrafficGenerator
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Drives synthetic hospital traffic through the 3102 interface (clean claims and injected
/// instances of every pattern), waits for the review to finish and prints what happened.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Push generated settlements through 3102 and summarise.")
    @OptionGroup var endpoints: Endpoints
    @Option(help: "Settlements to push.") var count = 3_000
    @Option(help: "Generator seed.") var seed: UInt64 = 2026
    @Option(help: "Reference data directory.") var reference = "reference/kb"
    @Option(help: "Settlements per 3102 call.") var perCall = 20

    func run() async throws {
        let kb = try KnowledgeBase.load(directory: URL(fileURLWithPath: reference))
        let traffic = TrafficGenerator(knowledgeBase: kb, configuration: GeneratorConfiguration(seed: seed, count: count, violationRate: 0.15)).generate()
        let calls = Self.calls(traffic, perCall: perCall)
        var secrets: [String: String] = [:]
        for institution in Set(calls.map(\.institution)) {
            let answer = try await API.call("PUT", "\(endpoints.intake)/api/admin/credentials/\(institution)", token: endpoints.adminToken)
            secrets[institution] = API.json(answer)["secret"] as? String
        }
        var progress = Progress(total: traffic.count), answered = [String: Int]()
        for call in calls {
            let answer = API.json(try await Self.retrying {
                try await API.call("POST", "\(endpoints.intake)/api/his", token: "\(call.institution):\(secrets[call.institution]!)",
                                   body: try HISJSON.encoder.encode(call.request))
            })
            guard answer["infcode"] as? Int == 0 else { throw API.Failure(description: "refused: \(answer["err_msg"] ?? "")") }
            for result in ((answer["output"] as? [String: Any])?["result"] as? [[String: Any]]) ?? [] {
                answered[result["vola_bhvr_type"] as? String ?? "?", default: 0] += 1
            }
            progress.advance(by: call.request.input.data.patientDtos.count)
        }
        progress.finish()
        try await summarise(traffic: traffic, answered: answered)
    }

    /// As a HIS does: the same message again (same msgid) until intake answers, so a restart of
    /// intake loses nothing and records nothing twice.
    static func retrying(_ body: () async throws -> Data) async throws -> Data {
        for attempt in 1... {
            do {
                return try await body()
            } catch where attempt < 60 {
                try await Task.sleep(for: .milliseconds(500))
            }
        }
        fatalError("unreachable")
    }

    struct Call {
        var institution: String
        var request: HISRequest<ReviewInput>
    }

    /// Consecutive settlements of one institution share a call, in settlement order.
    static func calls(_ traffic: [LabeledSettlement], perCall: Int) -> [Call] {
        var calls: [Call] = []
        var sequence = 0
        for settlement in traffic {
            let institution = settlement.encounter.medinsId
            if let last = calls.last, last.institution == institution, last.request.input.data.patientDtos.count < perCall {
                calls[calls.count - 1].request.input.data.patientDtos.append(settlement.patient)
                continue
            }
            sequence += 1
            let msgid = institution + "20261127" + String(format: "%06d", sequence / 10_000) + String(format: "%04d", sequence % 10_000)
            calls.append(Call(institution: institution, request: HISRequest(
                infno: "3102", msgid: msgid, fixmedinsCode: institution,
                input: ReviewInput(data: ReviewRequest(trigScen: settlement.encounter.medMdtrtType == "2" ? 8 : 6, patientDtos: [settlement.patient])))))
        }
        return calls
    }

    private func summarise(traffic: [LabeledSettlement], answered: [String: Int]) async throws {
        var coverage: [String: Any] = [:]
        for _ in 0..<120 {
            coverage = API.json(try await Self.retrying { try await API.call("GET", "\(endpoints.review)/api/coverage") })
            if (coverage["claims_reviewed"] as? Int ?? 0) >= traffic.count { break }
            try await Task.sleep(for: .milliseconds(500))
        }
        let found = API.json(try await Self.retrying { try await API.call("GET", "\(endpoints.review)/api/findings/summary") })
        var expected: [String: Int] = [:]
        for settlement in traffic { for pattern in settlement.expectedPatterns { expected[pattern, default: 0] += 1 } }
        print("\nSettlements pushed through 3102: \(traffic.count)")
        print("Claims reviewed by smart-review: \(coverage["claims_reviewed"] ?? 0) (not reviewed: \((coverage["not_reviewed"] as? [Any])?.count ?? 0))")
        print("pattern  injected  in 3102 answers  findings after review")
        for pattern in Set(expected.keys).union(found.keys).sorted() {
            print("\(pattern.padding(toLength: 12, withPad: " ", startingAt: 0)) \(String(format: "%5d", expected[pattern] ?? 0))  \(String(format: "%10d", answered[pattern] ?? 0))  \(String(format: "%14d", found[pattern] as? Int ?? 0))")
        }
        print("\nWhere to look: \(endpoints.review)/api/coverage · \(endpoints.intake)/metrics · \(endpoints.review)/metrics · \(endpoints.intake)/openapi.yaml")
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
