import Foundation
import Hummingbird

/// Request bodies are JSON with snake_case keys, like every answer of the platform.
extension Request {
    func decode<T: Decodable>(_ type: T.Type, limit: Int = 1 << 20) async throws -> T {
        let body = try await body.collect(upTo: limit)
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(type, from: Data(buffer: body))
        } catch let DecodingError.keyNotFound(key, _) {
            throw badRequest("\(key.stringValue.snakeCased) is required")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw badRequest("\(context.codingPath.map(\.stringValue.snakeCased).joined(separator: ".")) has the wrong type")
        } catch {
            throw badRequest("the body is not the expected JSON: \(error)")
        }
    }
}

extension String {
    /// `pastEmployers` → `past_employers`, for error messages that name the field as sent.
    var snakeCased: String {
        reduce(into: "") { result, c in
            if c.isUppercase { result += "_" + c.lowercased() } else { result.append(c) }
        }
    }
}

/// Body of an objection (异议申诉).
struct ObjectionBody: Decodable { var grounds: String }

/// Body of a decision on an objection or a repair request.
struct DecisionBody: Decodable {
    var upheld: Bool?
    var approved: Bool?
    var reason: String
}

struct RefundBody: Decodable {
    var amount: Decimal
    var reference: String
}

/// A fact the bureau enters: `commitment_kept`, `commitment_broken`, `overdue_contribution` or
/// `self_correction`, under its own reference (a retry with the same reference is one entry).
struct FactBody: Decodable {
    var type: String
    var reference: String
    var amount: Decimal?
    var summary: String?
}
