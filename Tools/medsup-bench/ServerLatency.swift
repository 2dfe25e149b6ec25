import Foundation

/// What intake itself spent on a route's requests, from the head read to the answer written:
/// Hummingbird's `http_server_request_duration_seconds` histogram on `/metrics`, read before and
/// after a push. Beside the client's latencies (which add the wait for one of the pusher's
/// connections), it says whether time went in the platform or in the queue in front of it.
struct ServerLatency: Sendable {
    /// Requests at or under each bucket's bound (seconds), in increasing bounds; `+Inf` last.
    var buckets: [(bound: Double, count: Double)]

    init(metrics: String, route: String) {
        var counts: [Double: Double] = [:]
        for line in metrics.split(separator: "\n")
        where line.hasPrefix("http_server_request_duration_seconds_bucket{") && line.contains("http_route=\"\(route)\"") {
            guard let le = line.range(of: "le=\""), let close = line[le.upperBound...].firstIndex(of: "\""),
                  let count = line.split(separator: " ").last.flatMap({ Double($0) }) else { continue }
            let bound = line[le.upperBound..<close] == "+Inf" ? Double.infinity : Double(line[le.upperBound..<close]) ?? .infinity
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
