import Events
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The request context of every service: the request's trace travels into handlers, events and logs.
public struct PlatformRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var trace: TraceContext

    public init(source: Source) {
        coreContext = .init(source: source)
        trace = .random()
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

/// A readiness check: a named dependency and how to ask whether it answers.
public struct ReadinessCheck: Sendable {
    public let name: String
    public let check: @Sendable () async -> Bool

    public init(_ name: String, _ check: @escaping @Sendable () async -> Bool) {
        self.name = name
        self.check = check
    }
}

extension Router where Context == PlatformRequestContext {
    /// `/health` (the process is alive), `/ready` (every dependency answers: 200, else 503 naming
    /// what is down) and `/metrics` (Prometheus text format).
    public func addOperationalRoutes(checks: [ReadinessCheck]) {
        get("/health") { _, _ in Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "{\"status\":\"ok\"}\n"))) }
        get("/ready") { _, _ in
            var states: [String: Bool] = [:]
            for check in checks { states[check.name] = await check.check() }
            let ready = states.values.allSatisfy { $0 }
            let body = try JSONEncoder().encode(["ready": ready ? "yes" : "no"].merging(states.mapValues { $0 ? "up" : "down" }) { a, _ in a })
            return Response(status: ready ? .ok : .serviceUnavailable,
                             headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                     body: .init(byteBuffer: ByteBuffer(bytes: Observability.registry.emitToBuffer())))
        }
    }
}
