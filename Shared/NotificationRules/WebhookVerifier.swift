import Crypto
import Foundation

public enum WebhookVerificationError: Error, Sendable, Equatable {
    case missingHeader(String)
    case invalidTimestamp
    /// Older than the tolerance: a replay, or a delivery held too long.
    case timestampTooOld
    case timestampTooNew
    case noMatchingSignature
}

/// Receiver-side check, used by the tests and offered to agencies' clients: the timestamp must
/// lie within `tolerance` of now, and some "v1" signature must match some held secret.
public struct WebhookVerifier: Sendable {
    public var secrets: [WebhookSecret]
    /// Seconds either side of now; Standard Webhooks suggests five minutes.
    public var tolerance: TimeInterval

    public init(secrets: [WebhookSecret], tolerance: TimeInterval = 300) {
        self.secrets = secrets
        self.tolerance = tolerance
    }

    /// `headers` names are matched case-insensitively, as HTTP requires.
    public func verify(headers: [String: String], body: Data, now: Date) throws(WebhookVerificationError) {
        func header(_ name: String) throws(WebhookVerificationError) -> String {
            guard let value = headers.first(where: { $0.key.lowercased() == name })?.value else { throw .missingHeader(name) }
            return value
        }
        let id = try header(WebhookHeaders.idName)
        guard let timestamp = Int64(try header(WebhookHeaders.timestampName)) else { throw .invalidTimestamp }
        let signatures = try header(WebhookHeaders.signatureName)

        let age = now.timeIntervalSince1970 - Double(timestamp)
        if age > tolerance { throw .timestampTooOld }
        if age < -tolerance { throw .timestampTooNew }

        let content = WebhookSignature.content(id: id, timestamp: timestamp, body: body)
        let candidates = signatures.split(separator: " ").compactMap { entry -> Data? in
            guard entry.hasPrefix("v1,") else { return nil }
            return Data(base64Encoded: String(entry.dropFirst(3)))
        }
        for secret in secrets {
            let key = SymmetricKey(data: secret.key)
            // isValidAuthenticationCode compares in constant time.
            if candidates.contains(where: { HMAC<SHA256>.isValidAuthenticationCode($0, authenticating: content, using: key) }) {
                return
            }
        }
        throw .noMatchingSignature
    }

    public func verify(headers: [String: String], body: String, now: Date) throws(WebhookVerificationError) {
        try verify(headers: headers, body: Data(body.utf8), now: now)
    }
}
