import ArgumentParser
import Foundation
import HISContract
import KnowledgeBase
import Logging
import Persistence
import PostgresNIO
import Synchronization
import TrafficGenerator
import NIOCore

/// Accepted claims per second through intake's bulk path, durable and published on
/// `claims.accepted`, beside a raw PostgreSQL COPY of the same rows (the claims and their
/// traceability codes) into copies of their tables; then, with smart-review running, claims per second reviewed end to end.
struct IntakeBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "intake")
    @OptionGroup var options: BenchOptions
    @Option(help: "intake's base URL.") var intake = "http://127.0.0.1:8081"
    @Option(help: "An operator token (platform administrator) for intake's credentials; default MEDSUP_OPERATOR_TOKEN.")
    var adminToken = ProcessInfo.processInfo.environment["MEDSUP_OPERATOR_TOKEN"] ?? ""
    @Option(help: "Settlements to push.") var count = 20_000
    @Option(help: "Lines per bulk request.") var perRequest = 2_000
    @Option(help: "Bulk requests in flight at once (hospitals pushing their files together).") var inFlight = 2
    @Option(help: "Generator seed (each run needs new claims).") var seed = UInt64(Date().timeIntervalSince1970)
    @Flag(help: "Wait for smart-review to review them all (schema smart_review).") var endToEnd = false
    @Option(parsing: .upToNextOption, help: "Processes stopped (SIGSTOP) from before the push until the COPY baseline has run: the services behind intake, so that its bulk path is measured on the machine alone, as the COPY is.")
    var pause: [Int32] = []
    @Option(help: "3101 calls a second (scripts/bench/3101.json) sent while pushing, their latency printed: a backfill must not hold up the cashier's desk (INTAKE_BULK_THREADS; 0: none).")
    var probeRate = 100

    func run() async throws {
        do {
            try await measure()
        } catch {
            throw BenchError(String(reflecting: error)) // PostgresNIO hides the server's message otherwise
        }
    }

    /// Claims whose `claims.accepted` event is published: a published event's row leaves the
    /// outbox (it is by reference), so every claim but those of a row still unpublished (one of
    /// its own, or a member of its round's).
    static let published = """
        SELECT (SELECT count(*) FROM intake.claims)
             - (SELECT count(*) FROM intake.outbox WHERE topic = 'claims.accepted' AND published_at IS NULL AND payload_ref IS NOT NULL)
             - (SELECT coalesce(sum(json_array_length(members::json)), 0) FROM intake.outbox
                 WHERE topic = 'claims.accepted' AND published_at IS NULL AND members IS NOT NULL)
        """

    private func measure() async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let kb = try KnowledgeBase.load(directory: URL(fileURLWithPath: "reference/kb"))
        // At hospitals' density whatever the count (a plain configuration packs more claims into the same days: 4.4 lines a claim at 60,000).
        let traffic = TrafficGenerator(knowledgeBase: kb, configuration: .atHospitalDensity(seed: seed, count: count, violationRate: 0.05,
                                                                                           today: CivilDateTime.chinaNow().date)).generate()
        let lines = traffic.map(\.encounter.fsiOrderDtos.count).reduce(0, +)
        let database = try Database(configuration: DatabaseConfiguration(host: "127.0.0.1", port: options.pgPort, user: "medsup",
                                                                         password: "medsup", database: "medsup"), schema: "intake", logger: logger)
        try await database.withRunning {
            let before = try await scalar(Self.published, database)
            let reviewedBefore = endToEnd ? try await scalar("SELECT count(*) FROM smart_review.reviews", database) : 0
            let requests = try Self.requests(traffic, perRequest: perRequest), clock = ContinuousClock()
            let walBefore = try await walPosition(database)
            let (probed, start, rounds, accepted, published, wal, copied) = try await whilePaused(pause) {
                let (fresh, probed, start, rounds) = try await push(requests, institutions: Set(traffic.map(\.encounter.medinsId)), clock: clock)
                let accepted = clock.now - start
                guard fresh == traffic.count else { throw BenchError("\(traffic.count - fresh) generated claims were already recorded: use another --seed") }
                try await waitFor(before + fresh, Self.published, database)
                let published = clock.now - start
                let wal = try await walPosition(database) - walBefore
                return (probed, start, rounds, accepted, published, wal, try await copyBaseline(traffic, database))
            }
            print("intake bulk path, \(traffic.count) settlements, \(String(format: "%.1f", Double(lines) / Double(traffic.count))) lines each, "
                  + (pause.isEmpty ? "the services behind intake running" : "the services behind intake stopped until after the COPY"))
            print("accepted and durable (HTTP answered):   \(format(rate(traffic.count, accepted))) claims/s")
            print("durable and published on Kafka:         \(format(rate(traffic.count, published))) claims/s")
            print("raw COPY of the same rows (limit):      \(format(rate(traffic.count, copied.rows))) claims/s (the claims and their "
                  + "\(copied.traceCodes) traceability codes; the claims alone \(format(rate(traffic.count, copied.claimsAlone)))/s)")
            print("ratio published / COPY:                 \(String(format: "%.2f", rate(traffic.count, published) / rate(traffic.count, copied.rows)))x "
                  + "(to the claims' COPY alone \(String(format: "%.2f", rate(traffic.count, published) / rate(traffic.count, copied.claimsAlone)))x)")
            print("write-ahead log written:                \(kibibytes(wal, per: traffic.count)) a claim, push to published "
                  + (pause.isEmpty ? "(the review's writes in it)" : "(intake's alone)") + "; the COPY \(kibibytes(copied.walBytes, per: traffic.count))")
            if !probed.isEmpty {
                print("3101 at \(probeRate)/s while pushing (\(probed.count) calls): p50 \(milliseconds(percentile(probed, 0.5))) ms, "
                      + "p99 \(milliseconds(percentile(probed, 0.99))) ms, max \(milliseconds(percentile(probed, 1))) ms")
            }
            for (lane, stages) in rounds.sorted(by: { $0.key < $1.key }) {
                let count = Int(stages.series["record"]?.count ?? 0)
                print("lane \(lane): \(count) rounds, means: " + stages.description + " (wait: a push's, for the round that carries it)")
            }
            if endToEnd {
                try await waitFor(reviewedBefore + traffic.count, "SELECT count(*) FROM smart_review.reviews", database)
                print("end to end, accepted to reviewed with findings published: \(format(rate(traffic.count, clock.now - start))) claims/s")
            }
        }
    }

    /// A bulk request: an institution's NDJSON body, built before the clock starts (encoding
    /// 20,000 records is the HIS's work, and took the pusher a second or more of the measured time).
    struct BulkRequest: Sendable {
        var institution: String
        var batch: String
        var body: ByteBuffer
    }

    /// NDJSON per institution, `perRequest` lines a request.
    static func requests(_ traffic: [LabeledSettlement], perRequest: Int) throws -> [BulkRequest] {
        let encoder = HISJSON.encoder
        var byInstitution: [String: [String]] = [:]
        for settlement in traffic {
            byInstitution[settlement.encounter.medinsId, default: []].append(String(decoding: try encoder.encode(settlement.patient), as: UTF8.self))
        }
        return byInstitution.flatMap { institution, lines in
            stride(from: 0, to: lines.count, by: perRequest).map { start in
                BulkRequest(institution: institution, batch: "\(institution)-\(start)-\(UUID().uuidString.prefix(6))",
                            body: IntakeClient.ndjson(Array(lines[start..<min(start + perRequest, lines.count)])))
            }
        }
    }

    /// The requests, `inFlight` at once, while 3101 calls probe the door; returns how many claims were
    /// new, the calls' latencies, when the clock started (once the institutions' credentials are
    /// issued), and where the bulk lanes' rounds spent their time (intake's `/metrics`).
    private func push(_ requests: [BulkRequest], institutions: Set<String>, clock: ContinuousClock)
        async throws -> (Int, [Duration], ContinuousClock.Instant, [String: CommitStages]) {
        try await IntakeClient.with(baseURL: intake, adminToken: adminToken) { client in
            let credentials = try await client.credentials(institutions.union([Self.probeInstitution]))
            let before = try await client.metrics()
            let pushing = PushUnderWay(), start = clock.now
            async let probed = probeRate > 0 ? probe(through: client, credential: credentials[Self.probeInstitution]!, while: pushing) : []
            let accepted = try await {
                defer { pushing.end() }
                return try await push(requests, through: client, credentials: credentials)
            }()
            let answered = try await probed, after = try await client.metrics()
            let lanes = CommitStages.lanes(in: after).filter { $0.hasPrefix("bulk") }
            return (accepted, answered, start, Dictionary(uniqueKeysWithValues: lanes.map {
                ($0, CommitStages(metrics: after, lane: $0).since(CommitStages(metrics: before, lane: $0)))
            }))
        }
    }

    private func push(_ requests: [BulkRequest], through client: IntakeClient, credentials: [String: String]) async throws -> Int {
        try await withThrowingTaskGroup(of: Int.self) { group in
            var pending = requests.makeIterator(), accepted = 0
            func post(_ r: BulkRequest) async throws -> Int {
                try await client.bulk(body: r.body, batch: r.batch, credential: credentials[r.institution]!)
            }
            for _ in 0..<inFlight { if let next = pending.next() { group.addTask { try await post(next) } } }
            while let done = try await group.next() {
                accepted += done
                if let next = pending.next() { group.addTask { try await post(next) } }
            }
            return accepted
        }
    }

    /// The institution of scripts/bench/3101.json.
    static let probeInstitution = "H43010000001"

    /// 3101 calls at `probeRate` a second, open loop, while `pushing` holds; each call's latency
    /// counts from when it was due.
    private func probe(through client: IntakeClient, credential: String, while pushing: PushUnderWay) async throws -> [Duration] {
        let template = try String(contentsOfFile: "scripts/bench/3101.json", encoding: .utf8)
        let run = String(UInt64.random(in: 10_000_000_000_000..<100_000_000_000_000)), clock = ContinuousClock(), start = clock.now
        return try await withThrowingTaskGroup(of: Duration.self) { group in
            var sent = 0
            while pushing.holds {
                let due = start + .seconds(Double(sent) / Double(probeRate))
                try await clock.sleep(until: due)
                let body = template.replacingOccurrences(of: "{SEQ14}", with: run).replacingOccurrences(of: "{SEQ4}", with: String(format: "%04d", sent % 10_000))
                group.addTask {
                    try await client.review(body: ByteBuffer(string: body), credential: credential)
                    return clock.now - due
                }
                sent += 1
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }
}

/// `body` with `pids` stopped (SIGSTOP), continued (SIGCONT) however it ends.
private func whilePaused<T>(_ pids: [Int32], _ body: () async throws -> T) async throws -> T {
    for pid in pids where kill(pid, SIGSTOP) != 0 { throw BenchError("cannot stop process \(pid): errno \(errno)") }
    defer { for pid in pids { kill(pid, SIGCONT) } }
    return try await body()
}

/// Whether a push still runs, for the probe beside it.
final class PushUnderWay: Sendable {
    private let state = Mutex(true)
    var holds: Bool { state.withLock { $0 } }
    func end() { state.withLock { $0 = false } }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

func scalar(_ sql: String, _ database: Database) async throws -> Int {
    for try await value in try await database.client.query(PostgresQuery(unsafeSQL: sql)).decode(Int.self) { return value }
    return 0
}

func waitFor(_ target: Int, _ sql: String, _ database: Database) async throws {
    while try await scalar(sql, database) < target { try await Task.sleep(for: .milliseconds(50)) }
}
