import Foundation
import Hummingbird
import Persistence
import PostgresNIO

/// The JSON conventions of the API (snake_case keys, ISO 8601 times), as `jsonResponse` writes them.
enum APIJSON {
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    /// A request body as `T`; a malformed one is a 400 naming what is wrong.
    static func body<T: Decodable>(_ request: Request, as type: T.Type, limit: Int = 1 << 20) async throws -> T {
        let buffer = try await request.body.collect(upTo: limit)
        do {
            return try decoder.decode(type, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            throw HTTPError(.badRequest, message: "invalid request body: \(describe(error))")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): "missing field \(key.stringValue)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            "\(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
        @unknown default: "\(error)"
        }
    }
}

/// Answers straight from PostgreSQL's JSON: the columns of `query` (snake_case already) become
/// the keys, so listing endpoints need no struct of their own.
extension Database {
    func jsonArray(_ query: PostgresQuery) async throws -> Response {
        let wrapped = PostgresQuery(unsafeSQL: "SELECT coalesce(json_agg(x), '[]')::text FROM (\(query.sql)) x", binds: query.binds)
        return jsonText(try await single(wrapped) ?? "[]")
    }

    /// One row as an object; 404 when there is none.
    func jsonObject(_ query: PostgresQuery, missing: String) async throws -> Response {
        let wrapped = PostgresQuery(unsafeSQL: "SELECT row_to_json(x)::text FROM (\(query.sql)) x", binds: query.binds)
        guard let text = try await single(wrapped) else { throw HTTPError(.notFound, message: missing) }
        return jsonText(text)
    }

    private func single(_ query: PostgresQuery) async throws -> String? {
        for try await text in try await self.query(query).decode(String.self) { return text }
        return nil
    }

    private func jsonText(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
