import Foundation
import JWTKit

/// HS256 JSON Web Tokens through jwt-kit. jwt-kit's key collection is an actor filled
/// asynchronously, so each call builds one around the kept key (an allocation, no key derivation):
/// that keeps this type constructible where start-up is synchronous.
public struct HS256Signer: Sendable {
    /// A secret shorter than SHA-256's output weakens the key (RFC 7518 3.2); jwt-kit traps on one.
    public static let minimumSecretBytes = 32

    public struct WeakSecret: Error, CustomStringConvertible {
        public var description: String { "the signing secret must have at least \(HS256Signer.minimumSecretBytes) bytes" }
    }

    private let key: HMACKey?

    public init(secret: String) { key = secret.utf8.count >= Self.minimumSecretBytes ? HMACKey(from: secret) : nil }

    public func sign(_ payload: some JWTPayload) async throws -> String {
        try await keys().sign(payload)
    }

    /// The payload of a token whose signature holds; jwt-kit refuses any algorithm but this key's.
    public func verify<Payload: JWTPayload>(_ token: String, as type: Payload.Type) async throws -> Payload {
        try await keys().verify(token, as: type)
    }

    private func keys() async throws -> JWTKeyCollection {
        guard let key else { throw WeakSecret() }
        return await JWTKeyCollection().add(hmac: key, digestAlgorithm: .sha256)
    }
}
