import Crypto
import Foundation
import Hummingbird
import AuditTrail
import Logging
import OperatorAccess
import Persistence
import PostgresNIO
import ServiceKit
import Timing

/// Each institution authenticates with its own credential: `Authorization: Bearer <fixmedins_code>:<secret>`.
/// Only a SHA-256 of the secret is stored; a verified credential is cached briefly so that the
/// hot path does not query the database on every call.
final class Credentials: Sendable {
    private let database: Database
    private let cache = LockedCache<String, (hash: String, until: ContinuousClock.Instant)>()

    init(database: Database) { self.database = database }

    /// The institution the request speaks for, or an HTTP 401 naming what is wrong.
    func institution(of request: Request) async throws -> String {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw HTTPError(.unauthorized, message: "missing credential: send Authorization: Bearer <fixmedins_code>:<secret>")
        }
        let token = header.dropFirst("Bearer ".count)
        guard let colon = token.firstIndex(of: ":") else {
            throw HTTPError(.unauthorized, message: "malformed credential: expected <fixmedins_code>:<secret>")
        }
        let institution = String(token[..<colon]), secret = String(token[token.index(after: colon)...])
        guard let stored = try await storedHash(institution), constantTimeEqual(stored, Self.hash(secret)) else {
            throw HTTPError(.unauthorized, message: "invalid credential for institution \(institution)")
        }
        return institution
    }

    /// Issues a new secret for an institution (replacing the old one) and returns it once.
    /// The credential and its audit entry (who issued it) commit together.
    func issue(for institution: String, by person: OperatorIdentity) async throws -> String {
        let secret = (0..<24).map { _ in UInt8.random(in: 0...255) }.hexString
        try await database.transaction { [database] connection in
            try await connection.query("""
                INSERT INTO \(unescaped: database.schema).credentials (medins_id, secret_sha256) VALUES (\(institution), \(Self.hash(secret)))
                ON CONFLICT (medins_id) DO UPDATE SET secret_sha256 = EXCLUDED.secret_sha256, updated_at = now()
                """, logger: database.logger)
            try await AuditStore(database: database).append(by: person, "credential.issued", subject: "institution:\(institution)", on: connection)
        }
        cache.remove(institution)
        return secret
    }

    static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).hexString
    }

    private func storedHash(_ institution: String) async throws -> String? {
        if let cached = cache[institution], cached.until > .now { return cached.hash }
        let rows = try await database.query(
            "SELECT secret_sha256 FROM \(unescaped: database.schema).credentials WHERE medins_id = \(institution)", logger: database.logger)
        for try await hash in rows.decode(String.self) {
            cache[institution] = (hash, .now + .seconds(30))
            return hash
        }
        return nil
    }
}

/// A small thread-safe dictionary for per-process caches.
final class LockedCache<Key: Hashable & Sendable, Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Key: Value] = [:]

    subscript(key: Key) -> Value? {
        get { lock.withLock { values[key] } }
        set { lock.withLock { values[key] = newValue } }
    }

    func remove(_ key: Key) { lock.withLock { _ = values.removeValue(forKey: key) } }

    func update<T>(_ key: Key, _ body: (inout Value?) -> T) -> T {
        lock.withLock { body(&values[key]) }
    }
}

/// Token bucket per institution: `ratePerSecond` sustained, bursts up to twice that.
final class RateLimiter: Sendable {
    private let rate: Double
    private let buckets = LockedCache<String, (tokens: Double, at: ContinuousClock.Instant)>()

    init(ratePerSecond: Int) { rate = Double(ratePerSecond) }

    func admit(_ institution: String) -> Bool {
        let now = ContinuousClock.now, capacity = rate * 2
        return buckets.update(institution) { bucket in
            let previous = bucket ?? (capacity, now)
            let elapsed = previous.at.duration(to: now)
            let seconds = elapsed.inSeconds
            let tokens = min(capacity, previous.tokens + seconds * rate)
            guard tokens >= 1 else {
                bucket = (tokens, now)
                return false
            }
            bucket = (tokens - 1, now)
            return true
        }
    }
}
