import Foundation

/// A signing secret in the Standard Webhooks form "whsec_" + base64(key).
public struct WebhookSecret: Sendable, Equatable, Hashable {
    public static let prefix = "whsec_"

    public let key: Data

    public init(key: Data) { self.key = key }

    /// Parses "whsec_<base64>"; the bare base64 form is accepted too, as the reference
    /// libraries do. Throws on invalid base64 or an empty key.
    public init(_ encoded: String) throws(WebhookSecretError) {
        let base64 = encoded.hasPrefix(Self.prefix) ? String(encoded.dropFirst(Self.prefix.count)) : encoded
        guard let key = Data(base64Encoded: base64), !key.isEmpty else { throw .invalidSecret }
        self.key = key
    }

    public var encoded: String { Self.prefix + key.base64EncodedString() }
}

public enum WebhookSecretError: Error, Sendable, Equatable {
    case invalidSecret
}
