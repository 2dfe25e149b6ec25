import Hummingbird
import Persistence
import PostgresNIO

/// A client mistake: 400 with a message naming the field.
func badRequest(_ message: String) -> HTTPError { HTTPError(.badRequest, message: message) }

func notFound(_ message: String) -> HTTPError { HTTPError(.notFound, message: message) }

/// A step the credit process refuses (an objection nobody filed, repair before its period, a case
/// id seen before with other content). Through the API it is a 409; in the consumer it is
/// permanent, so the event goes to the dead letters instead of being retried forever.
struct CreditRefusal: Error, PermanentEventError, HTTPResponseError, CustomStringConvertible {
    let message: String

    init(_ message: String) { self.message = message }

    var status: HTTPResponse.Status { .conflict }
    var description: String { message }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        try HTTPError(.conflict, message: message).response(from: request, context: context)
    }
}
