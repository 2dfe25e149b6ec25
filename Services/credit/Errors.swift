import Hummingbird

/// A client mistake: 400 with a message naming the field.
func badRequest(_ message: String) -> HTTPError { HTTPError(.badRequest, message: message) }

/// A step the credit process does not allow now (e.g. deciding an objection nobody filed): 409.
func conflict(_ message: String) -> HTTPError { HTTPError(.conflict, message: message) }

func notFound(_ message: String) -> HTTPError { HTTPError(.notFound, message: message) }
