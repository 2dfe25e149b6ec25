import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A small JSON-over-HTTP client (FoundationNetworking), shared by the operators' CLI, the demo and
/// the end-to-end tests.
public enum API {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        /// The HTTP status, 0 when there was no answer.
        public let status: Int

        public init(description: String, status: Int = 0) {
            self.description = description
            self.status = status
        }
    }

    public static func call(_ method: String, _ url: String, token: String? = nil, body: Data? = nil,
                            contentType: String = "application/json") async throws -> Data {
        guard let target = URL(string: url) else { throw Failure(description: "bad URL \(url)") }
        var request = URLRequest(url: target)
        request.httpMethod = method
        request.httpBody = body
        request.timeoutInterval = 120
        request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await send(request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            throw Failure(description: "\(method) \(url): \(status) \(String(decoding: data, as: UTF8.self))", status: status)
        }
        return data
    }

    /// Sends again, for up to a minute, what did not reach a service at all (nothing listening: it is
    /// restarting) or what it refused for now (503: its database is away, or it is starting): neither
    /// was applied, so any method may be sent again.
    static func send(_ request: URLRequest) async throws -> (Data, URLResponse) {
        for attempt in 1... {
            do {
                let (data, response) = try await URLSession.shared.data(for: request)
                guard (response as? HTTPURLResponse)?.statusCode == 503, attempt < 120 else { return (data, response) }
            } catch let error as NSError where error.domain == NSURLErrorDomain && error.code == NSURLErrorCannotConnectToHost && attempt < 120 {}
            try await Task.sleep(for: .milliseconds(500))
        }
        fatalError("unreachable")
    }

    /// A call whose answer is decoded from the platform's snake_case JSON.
    public static func call<T: Decodable>(_ type: T.Type, _ method: String, _ url: String, token: String? = nil,
                                          json: (any Encodable)? = nil) async throws -> T {
        let body = try json.map { try encoder.encode($0) }
        let data = try await call(method, url, token: token, body: body)
        do {
            return try decoder.decode(T.self, from: data)
        } catch {
            throw Failure(description: "\(method) \(url): unexpected answer \(String(decoding: data.prefix(300), as: UTF8.self)): \(error)")
        }
    }

    public static func json(_ data: Data) -> [String: Any] { (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:] }

    public static func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

    /// The platform's JSON conventions (snake_case keys, ISO 8601 times), as `jsonResponse` writes them.
    public static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            return parseDate(text) ?? Date(timeIntervalSince1970: 0)
        }
        return decoder
    }()

    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    /// ISO 8601 as the services write it, with or without fractional seconds (PostgreSQL's JSON has them).
    static func parseDate(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter(), fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return plain.date(from: text) ?? fractional.date(from: text)
    }

    /// As a HIS does: the same request again until the service answers (a restart loses nothing);
    /// an answer that refuses the request (4xx but 429) is not retried.
    public static func retrying<T>(attempts: Int = 60, _ body: () async throws -> T) async throws -> T {
        for attempt in 1... {
            do {
                return try await body()
            } catch let failure as Failure where (400..<500).contains(failure.status) && failure.status != 429 {
                throw failure
            } catch where attempt < attempts {
                try await Task.sleep(for: .milliseconds(500))
            }
        }
        fatalError("unreachable")
    }
}
