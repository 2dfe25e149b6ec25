import Logging
import Metrics
import Prometheus

/// Process-wide logging and metrics, bootstrapped once per process.
public enum Observability {
    /// The registry `/metrics` renders.
    public static let registry = PrometheusCollectorRegistry()
    nonisolated(unsafe) private static var bootstrapped = false

    public static func bootstrap(service: String, level: Logger.Level) {
        guard !bootstrapped else { return }
        bootstrapped = true
        LoggingSystem.bootstrap { label in
            var handler = LazyMetadataLogHandler(StreamLogHandler.standardError(label: label))
            handler.logLevel = level
            handler.metadata = ["service": "\(service)"]
            return handler
        }
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.nameAndLabelSanitizer = { name, labels in (prometheusName(name), labels.map { (prometheusName($0.0), $0.1) }) }
        factory.defaultDurationHistogramBuckets = durationBuckets
        factory.durationHistogramBuckets = [EventLoopLag.metric: EventLoopLag.buckets]
        MetricsSystem.bootstrap(factory)
    }

    /// Request and timer histograms' bounds: swift-prometheus' defaults with 75 and 150 ms added, so
    /// that a 3102 answer's p99 against its 50 ms target reads as ≤ 50, ≤ 75, ≤ 100 or ≤ 150 ms
    /// rather than only "≤ 100" or "≤ 250".
    static let durationBuckets: [Duration] = [5, 10, 25, 50, 75, 100, 150, 250, 500, 1_000, 2_500, 5_000, 10_000].map { .milliseconds($0) }

    /// Hummingbird's metrics follow OpenTelemetry's dotted names; Prometheus allows `[a-zA-Z0-9_:]`.
    /// Its request metrics get the names an operator looks for.
    static func prometheusName(_ name: String) -> String {
        switch name {
        case "hb.requests": return "http_server_requests_total"
        case "hb.request.errors": return "http_server_request_errors_total"
        case "http.server.request.duration": return "http_server_request_duration_seconds"
        default: return String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ":") ? $0 : "_" })
        }
    }
}

/// swift-log's `StreamLogHandler` formats its whole metadata again whenever an entry changes; every
/// request sets its `trace_id` (and Hummingbird its request id), which cost ~20 µs of intake's CPU
/// a request at a level that prints nothing (scripts/profile.sh). This keeps the metadata as set and
/// hands it to the stream handler only with a line that is written.
struct LazyMetadataLogHandler: LogHandler {
    private var stream: StreamLogHandler
    var metadata: Logger.Metadata = [:]

    init(_ stream: StreamLogHandler) { self.stream = stream }

    var logLevel: Logger.Level {
        get { stream.logLevel }
        set { stream.logLevel = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var event = event
        event.metadata = event.metadata.map { metadata.merging($0) { _, new in new } } ?? metadata
        stream.log(event: event)
    }
}
