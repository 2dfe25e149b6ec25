import Foundation

/// What intake itself spent on a route's requests, from the head read to the answer written:
/// Hummingbird's `http_server_request_duration_seconds` histogram on `/metrics`, read before and
/// after a push. Beside the client's latencies (which add the wait for one of the pusher's
/// connections), it says whether time went in the platform or in the queue in front of it.
struct ServerLatency: Sendable {
    /// Requests at or under each bucket's bound (seconds), in increasing bounds; `+Inf` last.
    var buckets: [(bound: Double, count: Double)]

    init(metrics: String, route: String) {
        self.init(metrics: metrics, histogram: "http_server_request_duration_seconds", labels: ["http_route=\"\(route)\""])
    }

    /// One of `CommitStages.order` for the settlement lane: a call's `wait` for the round that carries
    /// it (`intake_commit_wait_seconds`), or a stage of those rounds (`intake_commit_stage_seconds`).
    init(metrics: String, settlementRound series: String) {
        self.init(metrics: metrics, histogram: series == "wait" ? "intake_commit_wait_seconds" : "intake_commit_stage_seconds",
                  labels: ["lane=\"settlement\""] + (series == "wait" ? [] : ["stage=\"\(series)\""]))
    }

    /// Any histogram of `/metrics`, its series with every one of `labels` summed.
    init(metrics: String, histogram: String, labels: [String]) {
        var counts: [Double: Double] = [:]
        for line in metrics.split(separator: "\n")
        where line.hasPrefix(histogram + "_bucket{") && labels.allSatisfy({ line.contains($0) }) {
            guard let le = label("le", of: line), let count = line.split(separator: " ").last.flatMap({ Double($0) }) else { continue }
            let bound = le == "+Inf" ? Double.infinity : Double(le) ?? .infinity
            counts[bound, default: 0] += count // summed over methods and status codes
        }
        buckets = counts.sorted { $0.key < $1.key }.map { (bound: $0.key, count: $0.value) }
    }

    private init(buckets: [(bound: Double, count: Double)]) { self.buckets = buckets }

    /// The requests between `earlier` and this reading.
    func since(_ earlier: ServerLatency) -> ServerLatency {
        let before = Dictionary(earlier.buckets.map { ($0.bound, $0.count) }, uniquingKeysWith: { $1 })
        return ServerLatency(buckets: buckets.map { (bound: $0.bound, count: $0.count - (before[$0.bound] ?? 0)) })
    }

    var count: Double { buckets.last?.count ?? 0 }

    /// The bound of the first bucket holding the share `p` of the requests (a histogram knows no finer).
    func percentile(_ p: Double) -> Double? {
        guard count > 0 else { return nil }
        return buckets.first { $0.count >= p * count }?.bound
    }

    /// "≤ 50 ms" for a bucket's bound.
    static func describe(_ bound: Double?) -> String {
        guard let bound else { return "-" }
        return bound.isInfinite ? "> the largest bucket" : "≤ \(String(format: "%g", bound * 1000)) ms"
    }
}

/// Where a group-commit lane's time went (intake's `intake_commit_wait_seconds` and
/// `intake_commit_stage_seconds`): the mean of each, between two readings of `/metrics`.
struct CommitStages: Sendable {
    /// Sum (seconds) and count of each series of the lane, by name (`wait`, or the stage).
    var series: [String: (sum: Double, count: Double)] = [:]

    static let order = ["wait", "reads", "previous", "answers", "record", "commit"]

    init(metrics: String, lane: String) {
        for line in metrics.split(separator: "\n") where line.contains("lane=\"\(lane)\"") {
            let name: String
            if line.hasPrefix("intake_commit_wait_seconds_") {
                name = "wait"
            } else if line.hasPrefix("intake_commit_stage_seconds_"), let stage = label("stage", of: line) {
                name = String(stage)
            } else { continue }
            guard let value = line.split(separator: " ").last.flatMap({ Double($0) }) else { continue }
            if line.contains("_sum{") { series[name, default: (0, 0)].sum += value }
            if line.contains("_count{") { series[name, default: (0, 0)].count += value }
        }
    }

    private init(series: [String: (sum: Double, count: Double)]) { self.series = series }

    /// The lanes `metrics` has a wait series for.
    static func lanes(in metrics: String) -> Set<String> {
        Set(metrics.split(separator: "\n").filter { $0.hasPrefix("intake_commit_wait_seconds_") }.compactMap { label("lane", of: $0).map(String.init) })
    }

    func since(_ earlier: CommitStages) -> CommitStages {
        CommitStages(series: series.merging(earlier.series.mapValues { (-$0.sum, -$0.count) }) { ($0.sum + $1.sum, $0.count + $1.count) })
    }

    /// "wait 4.1 ms, reads 0.9 ms, …": the mean of each series in milliseconds.
    var description: String {
        Self.order.compactMap { name in
            guard let (sum, count) = series[name], count > 0 else { return nil }
            return "\(name) \(String(format: "%.2f", sum / count * 1000)) ms"
        }.joined(separator: ", ")
    }
}

/// A label's value in a line of Prometheus' text format (`name="value"`).
private func label(_ name: String, of line: Substring) -> Substring? {
    guard let start = line.range(of: "\(name)=\""), let close = line[start.upperBound...].firstIndex(of: "\"") else { return nil }
    return line[start.upperBound..<close]
}
