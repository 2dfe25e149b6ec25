import _CryptoExtras
import Crypto
import Foundation
import NIOPosix
import OperatorAccess

/// A stored password (口令): PBKDF2-HMAC-SHA256 over a random per-user salt, never the password
/// or a plain hash of it. The rounds are stored with the hash so they can be raised later.
public struct PasswordHash: Sendable, Equatable {
    /// OWASP's floor for PBKDF2-SHA256 and the least `_CryptoExtras` accepts.
    public static let defaultRounds = 210_000

    public let salt: Data
    public let hash: Data
    public let rounds: Int

    public init(salt: Data, hash: Data, rounds: Int) {
        self.salt = salt
        self.hash = hash
        self.rounds = rounds
    }

    /// Hashes a new password with a fresh salt (on the blocking pool: ~0.1 s of CPU).
    public static func make(_ password: String, rounds: Int = defaultRounds) async throws -> PasswordHash {
        let salt = Data((0..<16).map { _ in UInt8.random(in: .min ... .max) })
        return PasswordHash(salt: salt, hash: try await derive(password, salt: salt, rounds: rounds), rounds: rounds)
    }

    /// Whether `password` is the one hashed, compared in constant time.
    public func matches(_ password: String) async throws -> Bool {
        constantTimeEqual(Array(try await Self.derive(password, salt: salt, rounds: rounds)), Array(hash))
    }

    /// PBKDF2 is deliberately slow, so it runs on NIO's thread pool rather than an event loop or the
    /// cooperative pool the handlers share.
    private static func derive(_ password: String, salt: Data, rounds: Int) async throws -> Data {
        try await NIOThreadPool.singleton.runIfActive {
            let key = try KDF.Insecure.PBKDF2.deriveKey(from: Data(password.utf8), salt: salt, using: .sha256,
                                                        outputByteCount: 32, rounds: rounds)
            return key.withUnsafeBytes { Data($0) }
        }
    }
}
