import Hummingbird
import ReviewWorkflow
import ServiceKit

extension WorkbenchError {
    /// The HTTP answer of a domain error: 404, 409, 400, 422, and 403, 409 or 422 for the recorded refusals.
    var httpError: HTTPError {
        switch self {
        case .notFound(let m): HTTPError(.notFound, message: m)
        case .conflict(let m), .refusedInState(let m): HTTPError(.conflict, message: m)
        case .malformed(let m): HTTPError(.badRequest, message: m)
        case .invalid(let m), .refusedInput(let m): HTTPError(.unprocessableContent, message: m)
        case .refused(let m): HTTPError(.forbidden, message: m)
        }
    }
}

/// Maps the workbench's domain errors to HTTP for every route after it (API and console alike).
struct WorkbenchErrorMiddleware: RouterMiddleware {
    typealias Context = PlatformRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do { return try await next(request, context) } catch let error as WorkbenchError { throw error.httpError }
    }
}
