import Crypto
import Foundation

/// The three Standard Webhooks headers of a delivery.
public struct WebhookHeaders: Sendable, Equatable {
    public static let idName = "webhook-id"
    public static let timestampName = "webhook-timestamp"
    public static let signatureName = "webhook-signature"

    public var id: String
    /// Seconds since 1970, as sent.
    public var timestamp: Int64
    /// One or more "v1,<base64>" signatures separated by spaces.
    public var signature: String

    public init(id: String, timestamp: Int64, signature: String) {
        self.id = id
        self.timestamp = timestamp
        self.signature = signature
    }

    public var dictionary: [String: String] {
        [Self.idName: id, Self.timestampName: String(timestamp), Self.signatureName: signature]
    }
}

/// Standard Webhooks signing: base64(HMAC-SHA256(key, "<id>.<timestamp>.<body>")) with the "v1," prefix.
public enum WebhookSignature {
    public static func content(id: String, timestamp: Int64, body: Data) -> Data {
        Data("\(id).\(timestamp).".utf8) + body
    }

    public static func v1(secret: WebhookSecret, id: String, timestamp: Int64, body: Data) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: content(id: id, timestamp: timestamp, body: body),
                                                  using: SymmetricKey(data: secret.key))
        return "v1," + Data(mac).base64EncodedString()
    }
}

/// Signs with every active secret, so that during a rotation a receiver holding either the
/// old or the new secret verifies (the signatures are space-separated).
public struct WebhookSigner: Sendable {
    public var secrets: [WebhookSecret]

    public init(secrets: [WebhookSecret]) { self.secrets = secrets }

    public func sign(id: String, timestamp: Date, body: Data) -> WebhookHeaders {
        let seconds = Int64(timestamp.timeIntervalSince1970.rounded(.down))
        let signatures = secrets.map { WebhookSignature.v1(secret: $0, id: id, timestamp: seconds, body: body) }
        return WebhookHeaders(id: id, timestamp: seconds, signature: signatures.joined(separator: " "))
    }

    public func sign(id: String, timestamp: Date, body: String) -> WebhookHeaders {
        sign(id: id, timestamp: timestamp, body: Data(body.utf8))
    }
}
