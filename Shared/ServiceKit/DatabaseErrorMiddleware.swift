import Hummingbird
import Persistence

/// PostgreSQL's errors at the HTTP edge. The database restarting or unreachable is a passing
/// state, not a bug: 503 with `Retry-After`, and the caller retries the same request (every write
/// is one transaction and the national interfaces are idempotent by `msgid`, so a retry neither
/// loses nor doubles). A value PostgreSQL cannot store (NUL in text, an oversized key) is the
/// caller's bad input: 400, the transaction rolled back. The bodies carry both the platform's
/// `error` and the national `infcode`/`err_msg`, so a HIS reads them as refusals.
/// While `health` says the database is away, requests other than the operational ones get the
/// 503 at once: the pool would make them wait for a connection without end. A request's database
/// work is bounded by `PG_REQUEST_TIMEOUT` (`Database.servingRequest`) and given up when the
/// health finds the database down while it waits, so a request held on a hung PostgreSQL gets
/// its 503 too, within its deadline.
public struct DatabaseErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let health: DatabaseHealth?
    static var operational: Set<String> { ["/health", "/ready", "/metrics", "/openapi.yaml"] }

    public init(health: DatabaseHealth? = nil) { self.health = health }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let health, !health.isUp, !Self.operational.contains(request.uri.path) { return try unavailable() }
        do {
            return try await Database.$servingRequest.withValue(true) { try await next(request, context) }
        } catch where DatabaseErrors.isUnavailable(error) {
            context.logger.warning("database unavailable; answered 503", metadata: ["error": "\(String(reflecting: error))"])
            return try unavailable()
        } catch where DatabaseErrors.isUnstorableInput(error) {
            context.logger.notice("request refused by the database", metadata: ["error": "\(DatabaseErrors.message(error))"])
            return try answer(.badRequest, "a value of the request cannot be stored: \(DatabaseErrors.message(error))")
        }
    }

    private func unavailable() throws -> Response {
        var response = try answer(.serviceUnavailable, "service temporarily unavailable (database); retry the same request shortly")
        response.headers[.retryAfter] = "1"
        return response
    }

    private struct Body: Encodable {
        let error: String, infcode: Int, errMsg: String
    }

    private func answer(_ status: HTTPResponse.Status, _ message: String) throws -> Response {
        try jsonResponse(Body(error: message, infcode: -1, errMsg: message), status: status)
    }
}
