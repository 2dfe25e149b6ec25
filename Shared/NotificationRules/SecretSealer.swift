import Crypto
import Foundation

/// Webhook signing secrets at rest: AES-256-GCM with the key of `NOTIFY_SECRET_KEY`, stored as
/// `aesgcm1:<key id>:<base64 of nonce, ciphertext and tag>`. Earlier keys (`NOTIFY_SECRET_KEY_PREVIOUS`)
/// still open what they sealed, and `needsResealing` names what the current key should seal again,
/// so the key rotates without losing a secret. A value without the prefix is a secret stored in
/// clear before sealing began: it opens as itself and needs resealing.
public struct SecretSealer: Sendable {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case badKey(String)
        case unknownKey(String)
        case damaged

        public var description: String {
            switch self {
            case .badKey(let why): "the sealing key \(why)"
            case .unknownKey(let id): "sealed with key \(id), which is neither the current nor a previous key"
            case .damaged: "the sealed secret does not open (altered, or another key with the same id)"
            }
        }
    }

    static let prefix = "aesgcm1:"
    /// Keys as bytes (`SymmetricKey` is not Sendable), by id.
    private let keys: [String: Data]
    public let currentID: String

    public init(current: Data, previous: [Data] = []) throws(Failure) {
        for key in [current] + previous where key.count != 32 { throw .badKey("must be 32 bytes (base64 of 32 random bytes), got \(key.count)") }
        currentID = Self.id(of: current)
        keys = Dictionary(([current] + previous).map { (Self.id(of: $0), $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func seal(_ secret: String) throws -> String {
        guard let key = keys[currentID] else { throw Failure.unknownKey(currentID) }
        let box = try AES.GCM.seal(Data(secret.utf8), using: SymmetricKey(data: key))
        guard let combined = box.combined else { throw Failure.damaged }
        return "\(Self.prefix)\(currentID):\(combined.base64EncodedString())"
    }

    public func open(_ stored: String) throws -> String {
        guard stored.hasPrefix(Self.prefix) else { return stored }
        let parts = stored.dropFirst(Self.prefix.count).split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let combined = Data(base64Encoded: String(parts[1])) else { throw Failure.damaged }
        guard let key = keys[String(parts[0])] else { throw Failure.unknownKey(String(parts[0])) }
        do {
            let plain = try AES.GCM.open(try AES.GCM.SealedBox(combined: combined), using: SymmetricKey(data: key))
            return String(decoding: plain, as: UTF8.self)
        } catch {
            throw Failure.damaged
        }
    }

    /// Stored in clear, or sealed with a previous key.
    public func needsResealing(_ stored: String) -> Bool { !stored.hasPrefix("\(Self.prefix)\(currentID):") }

    /// The first 8 hex digits of the key's SHA-256: names the key without revealing it.
    static func id(of key: Data) -> String {
        SHA256.hash(data: key).prefix(4).map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
}
