import Foundation
import HISContract
import NIOCore
import TrafficGenerator

/// The settlements of a load run cut into 100 ms ticks: per tick, one bulk request per institution
/// and one 3102 call per settlement of the 3102 share, each already encoded so that pushing costs
/// the pusher nothing but the sending. A tick's requests leave spread over its 100 ms (every 10 ms), calls
/// and bulk pushes interleaved, as independent hospitals send them: sent all at once, every call
/// of a tick waited behind the whole tick's work, a queue of the pusher's making (at 1,000/s, a
/// p50 of 45 ms that was mostly the burst draining).
struct LoadPlan: Sendable {
    struct Bulk: Sendable {
        let credential: String
        let batch: String
        /// The NDJSON body, joined when the plan is made.
        let body: ByteBuffer
    }

    struct Call: Sendable {
        let credential: String
        /// The national message, encoded when the plan is made.
        let body: ByteBuffer
    }

    struct Tick: Sendable {
        var bulk: [Bulk] = []
        var calls: [Call] = []

        enum Request {
            case bulk(Bulk)
            case call(Call)
        }

        /// The tick's requests in the order they leave: calls spread among the bulk pushes.
        var interleaved: [Request] {
            let total = bulk.count + calls.count
            guard total > 0 else { return [] }
            var requests: [Request] = [], pushes = bulk[...], rest = calls[...]
            for slot in 0..<total {
                // The call due by this slot's share of the tick goes first.
                if let call = rest.first, (calls.count - rest.count) * total <= slot * calls.count || pushes.isEmpty {
                    requests.append(.call(call))
                    rest = rest.dropFirst()
                } else if let push = pushes.popFirst() {
                    requests.append(.bulk(push))
                }
            }
            return requests
        }
    }

    private(set) var ticks: [Tick] = []
    private(set) var callCount = 0
    /// The mean size of one settlement as JSON: the message size of the raw Kafka baseline.
    private(set) var averageBytes = 0

    init(_ traffic: [LabeledSettlement], rate: Int, share3102: Double, credentials: [String: String]) throws {
        let perTick = max(1, rate / 10), every = share3102 > 0 ? max(1, Int((1 / share3102).rounded())) : Int.max
        let encoder = HISJSON.encoder, run = String(UUID().uuidString.prefix(6))
        let stamp = Date()
        var bytes = 0
        for (index, chunk) in stride(from: 0, to: traffic.count, by: perTick).enumerated() {
            var tick = Tick(), bulk: [String: [String]] = [:]
            for n in chunk..<min(chunk + perTick, traffic.count) {
                let settlement = traffic[n], institution = settlement.encounter.medinsId
                if n % every == 0 {
                    tick.calls.append(Call(credential: credentials[institution]!, body: try IntakeClient.call(Self.request(settlement, n, stamp: stamp))))
                } else {
                    let line = String(decoding: try encoder.encode(settlement.patient), as: UTF8.self)
                    bytes += line.utf8.count
                    bulk[institution, default: []].append(line)
                }
            }
            tick.bulk = bulk.map { Bulk(credential: credentials[$0.key]!, batch: "load-\(run)-\(index)-\($0.key)",
                                   body: IntakeClient.ndjson($0.value)) }
            callCount += tick.calls.count
            ticks.append(tick)
        }
        averageBytes = bytes / max(1, traffic.count - callCount)
    }

    /// A 3102 answer's latency, and when its call left (from the push's start).
    struct Answered: Sendable {
        var sent: Duration
        var latency: Duration
    }

    /// Pushes tick by tick on the clock, open loop; returns every 3102 answer.
    func push(through client: IntakeClient) async throws -> [Answered] {
        let clock = ContinuousClock(), start = clock.now
        return try await withThrowingTaskGroup(of: Answered?.self) { group in
            for (index, tick) in ticks.enumerated() {
                let requests = tick.interleaved
                var departure = -1
                for (slot, request) in requests.enumerated() {
                    // Ten departures a tick: a timer per request cost the pusher more CPU than the sending.
                    if slot * 10 / requests.count > departure {
                        departure = slot * 10 / requests.count
                        try await clock.sleep(until: start + .milliseconds(100 * index + 10 * departure))
                    }
                    switch request {
                    case let .bulk(bulk):
                        group.addTask { _ = try await client.bulk(body: bulk.body, batch: bulk.batch, credential: bulk.credential); return nil }
                    case let .call(call):
                        group.addTask {
                            let sent = clock.now - start
                            return Answered(sent: sent, latency: try await clock.measure { try await client.review(body: call.body, credential: call.credential) })
                        }
                    }
                }
            }
            return try await group.reduce(into: []) { answers, answer in if let answer { answers.append(answer) } }
        }
    }

    /// One settlement in one national 3102 message; msgid = institution + run time + sequence, so
    /// each run's messages are new (a repeated msgid would get the first answer back).
    private static func request(_ settlement: LabeledSettlement, _ n: Int, stamp: Date) -> HISRequest<ReviewInput> {
        let institution = settlement.encounter.medinsId
        let msgid = institution + timestamp(stamp.addingTimeInterval(Double(n / 10_000))) + String(format: "%04d", n % 10_000)
        return HISRequest(infno: "3102", msgid: msgid, fixmedinsCode: institution,
                          input: ReviewInput(data: ReviewRequest(trigScen: settlement.encounter.medMdtrtType == "2" ? 8 : 6,
                                                                 patientDtos: [settlement.patient])))
    }

    private static func timestamp(_ date: Date) -> String { stampFormatter.string(from: date) }

    /// One formatter for the whole plan (a DateFormatter per settlement would dominate building it).
    private static let stampFormatter: DateFormatter = {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMddHHmmss"
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        return formatter
    }()
}
