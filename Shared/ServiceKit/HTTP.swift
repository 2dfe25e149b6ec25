import Events
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The request context of every service: the request's trace travels into handlers, events and logs.
public struct PlatformRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var trace: TraceContext
    /// The request's connection, for the rare answer that must close it (an oversized body).
    public let channel: (any Channel)?

    public init(source: Source) {
        coreContext = .init(source: source)
        trace = .random()
        channel = source.channel
    }
}

/// Continues the caller's W3C trace (`traceparent`) or starts one, tags the request's logger
/// with `trace_id`, and answers with the span it used.
public struct TraceMiddleware: RouterMiddleware {
    public typealias Context = PlatformRequestContext
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.trace = request.headers[.traceparent].flatMap(TraceContext.init(traceparent:))?.child() ?? .random()
        context.logger[metadataKey: "trace_id"] = "\(context.trace.traceID)"
        var response = try await next(request, context)
        response.headers[.traceparent] = context.trace.traceparent
        return response
    }
}

extension HTTPField.Name {
    public static let traceparent = Self("traceparent")!
}

/// A readiness check: a named dependency and how to ask whether it answers, or a condition that
/// degrades the service (a lag past its bound) with the reason.
public struct ReadinessCheck: Sendable {
    public let name: String
    /// nil when fine; else what `/ready` says about it ("down", or the reason it is degraded).
    public let problem: @Sendable () async -> String?
    /// A degradation (the service works, but falls behind) rather than a dependency that is down.
    public let degrades: Bool

    public init(_ name: String, _ check: @escaping @Sendable () async -> Bool) {
        self.name = name
        self.problem = { await check() ? nil : "down" }
        self.degrades = false
    }

    public init(degraded name: String, _ problem: @escaping @Sendable () async -> String?) {
        self.name = name
        self.problem = problem
        self.degrades = true
    }
}

extension Router where Context == PlatformRequestContext {
    /// `/health` (the process is alive), `/ready` (every dependency answers and no lag is past its
    /// bound: 200; else 503 naming what is down, or "degraded" with the reason) and `/metrics`
    /// (Prometheus text format).
    public func addOperationalRoutes(checks: [ReadinessCheck]) {
        get("/health") { _, _ in Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "{\"status\":\"ok\"}\n"))) }
        get("/ready") { _, _ in
            var states: [String: String] = [:], down = false, degraded = false
            for check in checks {
                let problem = await check.problem()
                states[check.name] = problem ?? "up"
                if problem != nil { if check.degrades { degraded = true } else { down = true } }
            }
            let ready = !down && !degraded
            let verdict = down ? "no" : degraded ? "degraded" : "yes"
            let body = try JSONEncoder().encode(["ready": verdict].merging(states) { a, _ in a })
            return Response(status: ready ? .ok : .serviceUnavailable,
                             headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                     body: .init(byteBuffer: ByteBuffer(bytes: Observability.registry.emitToBuffer())))
        }
    }
}
