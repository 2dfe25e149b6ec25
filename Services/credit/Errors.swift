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

extension Database {
    /// A transaction whose closure's own error comes out as thrown (PostgresNIO wraps it in a
    /// `PostgresTransactionError`), so a refusal still answers 409 and a missing entry 404.
    func unwrappedTransaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await transaction(body)
        } catch let error as PostgresTransactionError {
            if let closureError = error.closureError, error.rollbackError == nil, error.commitError == nil { throw closureError }
            throw error
        }
    }
}
