import ArgumentParser
import Events
import Foundation
import HISContract
import KnowledgeBase
import Logging
import Persistence
import PostgresNIO
import TrafficGenerator
import Timing

/// Offered load at a target rate, open loop: every 100 ms the settlements due are pushed, most
/// through the bulk path and a share through single-settlement 3102 calls (as a HIS calls at
/// settlement time), whatever the answers' speed. Reports what the platform sustained end to end
/// (pushed → reviewed with findings published), the 3102 latencies, and the same run's raw COPY and
/// librdkafka figures as the limits.
struct LoadBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "load", abstract: "Replay generated traffic at a target rate.")
    @OptionGroup var options: BenchOptions
    @Option(help: "intake's base URL.") var intake = "http://127.0.0.1:8081"
    @Option(help: "An operator token (platform administrator) for intake's credentials; default MEDSUP_OPERATOR_TOKEN.")
    var adminToken = ProcessInfo.processInfo.environment["MEDSUP_OPERATOR_TOKEN"] ?? ""
    @Option(name: .customLong("rate"), help: "Offered settlements per second.") var target = 1_000
    @Option(help: "Seconds of offered load.") var seconds = 30
    @Option(help: "Share of settlements sent as single 3102 calls (the rest in bulk).") var share3102 = 0.1
    @Option(help: "Generator seed (each run needs new claims).") var seed = UInt64(Date().timeIntervalSince1970)
    @Flag(help: "Leave out the COPY and librdkafka baselines (a profiled run).") var skipBaselines = false
    @Option(help: "Also write every 3102 call as a CSV row (ms from the push's start when it left, latency in ms), to lay the tail beside a server's logs.")
    var latencyLog: String?
    @Flag(help: "Push through faults (scripts/faults.sh): a request is retried for up to 10 minutes while intake is away, and the run ends with the push, printing the claims pushed; the checks are the caller's.")
    var throughFaults = false

    func run() async throws {
        do {
            try await measure()
        } catch {
            throw BenchError(String(reflecting: error)) // PostgresNIO hides the server's message otherwise
        }
    }

    private func measure() async throws {
        let kb = try KnowledgeBase.load(directory: URL(fileURLWithPath: "reference/kb"))
        let traffic = TrafficGenerator(knowledgeBase: kb, configuration: .atHospitalDensity(
            seed: seed, count: target * seconds, violationRate: 0.05, today: CivilDateTime.chinaNow().date)).generate()
        try await IntakeClient.with(baseURL: intake, adminToken: adminToken, patience: throughFaults ? .seconds(600) : .seconds(20)) { client in
            if throughFaults { try await push(traffic, through: client) } else { try await measure(traffic, through: client) }
        }
    }

    /// The load of a fault run: pushed on schedule, each request retried until answered.
    private func push(_ traffic: [LabeledSettlement], through client: IntakeClient) async throws {
        let plan = try await plan(traffic, client)
        _ = try await plan.push(through: client)
        print("claims pushed \(Self.claims(traffic))")
    }

    private func plan(_ traffic: [LabeledSettlement], _ client: IntakeClient) async throws -> LoadPlan {
        try LoadPlan(traffic, rate: target, share3102: share3102, credentials: try await client.credentials(Set(traffic.map(\.encounter.medinsId))))
    }

    /// A settlement the stream carries twice (same institution, encounter and settlement id) is one claim.
    private static func claims(_ traffic: [LabeledSettlement]) -> Int {
        Set(traffic.map { ClaimAccepted.claimId(institution: $0.encounter.medinsId, encounter: $0.encounter.mdtrtId, settlement: $0.encounter.setlId ?? "") }).count
    }

    private func measure(_ traffic: [LabeledSettlement], through client: IntakeClient) async throws {
        let plan = try await plan(traffic, client)
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let database = try Database(configuration: DatabaseConfiguration(host: "127.0.0.1", port: options.pgPort, user: "medsup",
                                                                         password: "medsup", database: "medsup"), schema: "intake", logger: logger)
        try await database.withRunning {
            let reviewed = "SELECT count(*) FROM smart_review.reviews"
            let before = try await scalar(reviewed, database)
            let metricsBefore = try await client.metrics()
            let serverBefore = ServerLatency(metrics: metricsBefore, route: "/api/his"), stagesBefore = CommitStages(metrics: metricsBefore, lane: "settlement")
            let roundsBefore = Self.roundTails(metricsBefore), lagBefore = Self.loopLag(metricsBefore)
            let walBefore = try await walPosition(database)
            let clock = ContinuousClock(), start = clock.now, startedAt = Date(), cpuBefore = Self.processCPU()
            let answers = try await plan.push(through: client)
            let pusherCPU = Self.processCPU() - cpuBefore
            let metricsAfter = try await client.metrics()
            let server = ServerLatency(metrics: metricsAfter, route: "/api/his").since(serverBefore)
            let stages = CommitStages(metrics: metricsAfter, lane: "settlement").since(stagesBefore)
            let rounds = zip(Self.roundTails(metricsAfter), roundsBefore).map { ($0.0.name, $0.0.latency.since($0.1.latency)) }
            let lag = Self.loopLag(metricsAfter).since(lagBefore)
            let claims = Self.claims(traffic)
            let pushed = clock.now - start, backlog = claims - (try await scalar(reviewed, database) - before)
            // Reviewed within 10 s of the push's end, or how many were not.
            var late = backlog
            while late > 0, clock.now < start + pushed + .seconds(10) {
                try await Task.sleep(for: .milliseconds(50))
                late = claims - (try await scalar(reviewed, database) - before)
            }
            try await waitFor(before + claims, reviewed, database)
            let endToEnd = clock.now - start
            let completions = try await completionRate(from: startedAt, database), wal = try await walPosition(database) - walBefore
            var limits: (copy: Double, kafka: Double, copyWAL: Int)?
            if !skipBaselines {
                let copied = try await copyBaseline(traffic, database)
                let kafka = try rdkafkaPerformance(options, ["-P", "-t", "bench.load.\(UUID().uuidString.prefix(6))", "-s", "\(plan.averageBytes)",
                                                             "-c", "\(max(traffic.count, 200_000))", "-X", "enable.idempotence=true", "-X", "acks=all"])
                limits = (rate(traffic.count, copied.rows), kafka, copied.walBytes)
            }
            report(traffic, plan: plan, pushed: pushed, backlog: (backlog, late), times: (endToEnd, completions), latencies: answers.map(\.latency),
                   limits: limits)
            print("write-ahead log, first push to last review: \(kibibytes(wal, per: claims)) a claim (every service's writes)"
                  + (limits.map { "; the COPY of the claims and their codes \(kibibytes($0.copyWAL, per: traffic.count))" } ?? ""))
            print("reviewed while pushing, from 10 s on: \(format(try await steadyRate(from: startedAt, pushed: pushed, database))) claims/s "
                  + "(the pace kept with the offer)")
            print("3102 p99 by 10 s of the push (when the call left): " + byWindow(answers))
            if let latencyLog { try Self.write(answers, startedAt: startedAt, to: latencyLog) }
            print("3102 answers inside intake (its histogram's buckets): p50 \(ServerLatency.describe(server.percentile(0.5))), "
                  + "p99 \(ServerLatency.describe(server.percentile(0.99))) (\(Int(server.count)) calls; the rest of a latency above is outside the handler: the wait for one of the pusher's connections, the sockets)")
            print("a 3102 call's round inside intake, means: " + stages.description + " (wait: for the round that carries it)")
            print("  p99 (its histograms' buckets): " + rounds.map { "\($0.0) \(ServerLatency.describe($0.1.percentile(0.99)))" }.joined(separator: ", ")
                  + " (a wait's tail much above the stages' is calls queued behind slow rounds)")
            print("intake's event loops (a timer of each due every 25 ms): waited p50 \(ServerLatency.describe(lag.percentile(0.5))), "
                  + "p99 \(ServerLatency.describe(lag.percentile(0.99))), p99.9 \(ServerLatency.describe(lag.percentile(0.999))) "
                  + "(a loop held by a long job holds the calls whose connections it serves)")
            print("the pusher's own CPU while pushing:   \(String(format: "%10.0f", pusherCPU * 1e6 / Double(traffic.count))) µs a settlement (the HIS side, on the same cores)")
        }
    }

    /// How long work waited for intake's event loops (`event_loop_lag_seconds`, every loop summed).
    private static func loopLag(_ metrics: String) -> ServerLatency {
        ServerLatency(metrics: metrics, histogram: "event_loop_lag_seconds", labels: [])
    }

    /// The settlement calls' wait for their round and each stage of the rounds, as intake's histograms hold them.
    private static func roundTails(_ metrics: String) -> [(name: String, latency: ServerLatency)] {
        CommitStages.order.map { ($0, ServerLatency(metrics: metrics, settlementRound: $0)) }
    }

    /// `times`: from the first push to the last review, and the pace between the reviews' 5th and 95th percentiles.
    private func report(_ traffic: [LabeledSettlement], plan: LoadPlan, pushed: Duration, backlog: (atEnd: Int, after10s: Int),
                        times: (endToEnd: Duration, completions: CompletionRate), latencies: [Duration], limits: (copy: Double, kafka: Double, copyWAL: Int)?) {
        let lines = Double(traffic.map(\.encounter.fsiOrderDtos.count).reduce(0, +)) / Double(traffic.count)
        // No pipeline sustains more than it is offered: a review catching up after a slow start
        // completes faster for a while (a 10 s load at 1,000/s: 1,279 between the percentiles).
        let pace = times.completions.perSecond, sustained = min(pace, Double(target))
        print("offered \(target) settlements/s for \(seconds) s: \(traffic.count) settlements, \(String(format: "%.1f", lines)) lines each, \(plan.callCount) through 3102")
        print("pushing took                          \(String(format: "%10.1f", pushed.inSeconds)) s (\(format(rate(traffic.count, pushed))) settlements/s offered and answered)")
        print("not yet reviewed when pushing ended:  \(String(format: "%10d", backlog.atEnd))")
        print("not yet reviewed 10 s after that:     \(String(format: "%10d", backlog.after10s))")
        print("sustained end to end (pushed → reviewed, findings published): \(format(sustained)) claims/s "
              + "(the \(times.completions.claims) claims reviewed over the \(String(format: "%.2f", times.completions.seconds)) s between the 5th and the 95th "
              + "percentile of the reviews' times: the pipeline's pace, its start and its tail left out"
              + (pace > sustained ? ", \(Int(pace.rounded()))/s, at most the offer" : "") + ")")
        print("  from the first push to the last review: \(format(rate(traffic.count, times.endToEnd))) claims/s "
              + "(\(String(format: "%.2f", times.endToEnd.inSeconds)) s: one claim's way through the pipeline more, so it stays below the offer)")
        print("3102 answers: p50 \(milliseconds(percentile(latencies, 0.5))) ms, p99 \(milliseconds(percentile(latencies, 0.99))) ms (\(latencies.count) calls)")
        guard let (copy, kafka, _) = limits else { return }
        print("raw COPY of the same rows (claims and codes): \(format(copy)) claims/s   ratio \(String(format: "%.3f", sustained / copy))x")
        print("raw Kafka produce, rdkafka_performance (\(plan.averageBytes) B): \(format(kafka)) msg/s     ratio \(String(format: "%.3f", sustained / kafka))x")
    }

    /// Reviews committed from 10 s into the push to its end, a second: the review's pace once the
    /// pipeline is full. The end-to-end figure divides by the whole run, so at an offer it keeps up
    /// with it stays below the offer by the last claims' latency (60 s pushed, 60.3 s to the last review).
    private func steadyRate(from startedAt: Date, pushed: Duration, _ database: Database) async throws -> Double {
        let from = startedAt.addingTimeInterval(10), to = startedAt.addingTimeInterval(pushed.inSeconds)
        guard to > from else { return 0 }
        let rows = try await database.client.query("SELECT count(*)::int8 FROM smart_review.reviews WHERE reviewed_at >= \(from) AND reviewed_at < \(to)")
        for try await count in rows.decode(Int.self) { return Double(count) / to.timeIntervalSince(from) }
        return 0
    }

    /// The pace at which the pipeline completed claims: the reviews of this run after the 5th and up
    /// to the 95th percentile of their times, over the time between the two (a review's time is its
    /// run's transaction start, the same for all of a run's claims: the run at the window's start
    /// completed at its start, not within it; counted, the first run's backlog of a short load read
    /// as 1,343 at 1,000 offered). Dividing by the time from the first push to the last review adds
    /// one claim's way through the pipeline to the run, so that figure stays below any offer the
    /// pipeline keeps up with (1,990 at 2,000 offered); the span from the first review to the last
    /// instead counts the first run's warm-up against the pipeline's latency (1,036 at 1,000
    /// offered, the first review 0.7 s after the first push). Past the knee the window holds the
    /// drain after the push, at the review's pace.
    struct CompletionRate {
        var claims: Int
        var seconds: Double
        var perSecond: Double { seconds > 0 ? Double(claims) / seconds : 0 }
    }

    private func completionRate(from startedAt: Date, _ database: Database) async throws -> CompletionRate {
        let rows = try await database.client.query("""
            WITH run AS (SELECT reviewed_at FROM smart_review.reviews WHERE reviewed_at >= \(startedAt)),
                 bounds AS (SELECT percentile_disc(0.05) WITHIN GROUP (ORDER BY reviewed_at) AS lo,
                                   percentile_disc(0.95) WITHIN GROUP (ORDER BY reviewed_at) AS hi FROM run)
            SELECT (SELECT count(*) FROM run, bounds WHERE reviewed_at > lo AND reviewed_at <= hi)::int8,
                   coalesce(extract(epoch FROM hi - lo), 0)::float8 FROM bounds
            """)
        for try await (claims, seconds) in rows.decode((Int, Double).self) { return CompletionRate(claims: claims, seconds: seconds) }
        return CompletionRate(claims: 0, seconds: 0)
    }

    /// CPU seconds (user + system) this process has used: the pusher shares the platform's cores,
    /// so what it costs while pushing is what the platform did not get.
    private static func processCPU() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// `sent_ms` from the push's start, which the first line gives in UTC (to meet a server's log lines).
    private static func write(_ answers: [LoadPlan.Answered], startedAt: Date, to path: String) throws {
        let rows = answers.sorted { $0.sent < $1.sent }.map { String(format: "%.1f,%.2f", $0.sent.inSeconds * 1000, $0.latency.inSeconds * 1000) }
        let header = ["# push started at " + startedAt.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true)), "sent_ms,latency_ms"]
        try (header + rows).joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }


    /// The p99 of each 10 s window: a tail that grows through the run (the archive and the
    /// persons' histories grow) reads differently from one spread evenly over it.
    private func byWindow(_ answers: [LoadPlan.Answered]) -> String {
        Dictionary(grouping: answers) { Int($0.sent.components.seconds) / 10 }.sorted { $0.key < $1.key }
            .map { "\($0.key * 10)-\($0.key * 10 + 10) s \(milliseconds(percentile($0.value.map(\.latency), 0.99))) ms" }
            .joined(separator: ", ")
    }
}
