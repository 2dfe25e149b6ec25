import ArgumentParser
import Foundation
import Timing

/// Benchmarks that print figures, each beside the raw limit measured in the same run.
@main
struct MedsupBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "medsup-bench",
        abstract: "Throughput of the platform's layers beside the raw limits of this machine.",
        subcommands: [KafkaBench.self, OutboxBench.self, IntakeBench.self, EdgeBench.self, LoadBench.self, BareServer.self, RecordsBench.self])
}

struct BenchOptions: ParsableArguments {
    @Option(help: "Kafka bootstrap servers.") var brokers = "127.0.0.1:9092"
    @Option(help: "PostgreSQL port (user, password and database medsup).") var pgPort = 5432
    @Option(help: "Path of librdkafka's rdkafka_performance.") var rdkafkaPerformance = "\(NSHomeDirectory())/.cache/medsup/bin/rdkafka_performance"
}

func rate(_ count: Int, _ duration: Duration) -> Double {
    Double(count) / duration.inSeconds
}

func format(_ value: Double) -> String { String(format: "%10.0f", value) }

/// Bytes a claim, in KiB.
func kibibytes(_ bytes: Int, per claims: Int) -> String { String(format: "%.2f KiB", Double(bytes) / Double(max(claims, 1)) / 1024) }

/// The value at quantile `p` of a run's latencies (zero when there are none).
func percentile(_ values: [Duration], _ p: Double) -> Duration {
    guard !values.isEmpty else { return .zero }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}

func milliseconds(_ duration: Duration) -> String { String(format: "%.1f", duration.inSeconds * 1000) }
