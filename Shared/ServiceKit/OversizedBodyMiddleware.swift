import Hummingbird
import NIOCore

/// A request body larger than a route accepts (`collect(upTo:)`) is answered 413 and the
/// connection is closed after the answer: the rest of the body is never read, and a client that
/// writes its whole body before reading (Python's urllib, many HIS stacks) would otherwise wait
/// for the server to read what it will never read, until its own timeout. `Connection: close`
/// tells the client; closing the channel once the answer is written makes it true.
public struct OversizedBodyMiddleware: RouterMiddleware {
    public typealias Context = PlatformRequestContext
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch where Self.isTooLarge(error) {
            let text = "{\"error\":{\"message\":\"request body too large\"},\"infcode\":-1,\"err_msg\":\"request body too large\"}"
            let channel = context.channel
            let body = ResponseBody(contentLength: text.utf8.count) { writer in
                try await writer.write(ByteBuffer(string: text))
                try await writer.finish(nil)
                // The answer is queued on the channel before the close, which the channel handles after it.
                channel?.close(mode: .all, promise: nil)
            }
            return Response(status: .contentTooLarge, headers: [.connection: "close", .contentType: "application/json"], body: body)
        }
    }

    static func isTooLarge(_ error: any Error) -> Bool {
        if error is NIOTooManyBytesError { return true }
        return (error as? HTTPError)?.status == .contentTooLarge
    }
}
