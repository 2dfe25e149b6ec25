import AuditTrail
import Crypto
import Foundation
import Hummingbird
import NotificationRules
import OperatorAccess
import Persistence
import PostgresNIO
import ServiceKit

/// Subscribers, their subscriptions, webhook secrets and feedback tokens.
struct SubscriberStore: Sendable {
    let database: Database
    /// Seals the webhook secrets at rest; the operator is given each one in clear once, at its creation.
    let sealer: SecretSealer
    var schema: String { database.schema }
    var audit: AuditStore { AuditStore(database: database) }

    struct NewSubscriber: Codable, Sendable {
        var id: String
        var type: SubscriberType
        var name: String
        var jurisdiction: String
        var institutionCode: String?
        /// webhook or kafka
        var channel: String
        var url: String?
        var maxInFlight: Int?
        var ordered: Bool?
    }

    /// What the operator hands to the receiver once: its feedback token and first signing secret.
    struct Credentials: Codable, Sendable {
        var subscriberId: String
        var token: String
        var secret: WebhookSecretRecord?
    }

    struct WebhookSecretRecord: Codable, Sendable {
        var id: Int64
        var secret: String
    }

    func create(_ new: NewSubscriber, by person: OperatorIdentity) async throws -> Credentials {
        try validate(new)
        let token = "nft_" + Self.random(24).base64EncodedString().replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "+", with: "-")
        return try await database.transaction { connection in
            let rows = try await connection.query("""
                INSERT INTO \(unescaped: schema).subscribers (id, type, name, jurisdiction, institution_code, channel, url, max_in_flight, ordered, token_hash)
                VALUES (\(new.id), \(new.type.rawValue), \(new.name), \(new.jurisdiction), \(new.institutionCode), \(new.channel), \(new.url),
                        \(new.maxInFlight ?? 4), \(new.ordered ?? false), \(Self.hash(token)))
                ON CONFLICT (id) DO NOTHING RETURNING 1
                """, logger: database.logger)
            guard try await rows.decode(Int.self).first(where: { _ in true }) != nil else {
                throw HTTPError(.conflict, message: "subscriber \(new.id) exists")
            }
            let secret = new.channel == "webhook" ? try await addSecret(to: new.id, retireOthersAfter: nil, on: connection) : nil
            try await audit.append(by: person, "subscriber.created", subject: "subscriber:\(new.id)",
                                   details: ["channel": new.channel, "type": new.type.rawValue, "jurisdiction": new.jurisdiction], on: connection)
            return Credentials(subscriberId: new.id, token: token, secret: secret)
        }
    }

    private func validate(_ new: NewSubscriber) throws {
        guard !new.id.isEmpty, new.id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
            throw HTTPError(.badRequest, message: "id must be letters, digits, '-', '_' or '.' (it names the topic notify.<id>)")
        }
        switch new.channel {
        case "kafka": break
        case "webhook":
            guard let url = new.url.flatMap(URL.init(string:)), ["http", "https"].contains(url.scheme ?? "") else {
                throw HTTPError(.badRequest, message: "a webhook subscriber needs an http(s) url")
            }
        default: throw HTTPError(.badRequest, message: "channel must be webhook or kafka")
        }
        if new.type == .institution, new.institutionCode == nil {
            throw HTTPError(.badRequest, message: "an institution subscriber needs its institution_code")
        }
        if let limit = new.maxInFlight, !(1...256).contains(limit) { throw HTTPError(.badRequest, message: "max_in_flight must be 1…256") }
    }

    /// A new secret; the others stay active (every active secret signs) until `retireOthersAfter`
    /// seconds have passed, so a receiver can switch at its own pace without losing a delivery.
    func rotate(_ subscriberID: String, retireOthersAfter seconds: Int?, by person: OperatorIdentity) async throws -> WebhookSecretRecord {
        try await database.transaction { connection in
            try await requireSubscriber(subscriberID, on: connection)
            let record = try await addSecret(to: subscriberID, retireOthersAfter: seconds, on: connection)
            try await audit.append(by: person, "subscriber.secret.rotated", subject: "subscriber:\(subscriberID)",
                                   details: ["secret": "\(record.id)", "retire_others_after": seconds.map { "\($0)" } ?? "never"], on: connection)
            return record
        }
    }

    private func addSecret(to subscriberID: String, retireOthersAfter seconds: Int?, on connection: PostgresConnection) async throws -> WebhookSecretRecord {
        if let seconds {
            try await connection.query("""
                UPDATE \(unescaped: schema).webhook_secrets SET expires_at = now() + make_interval(secs => \(seconds))
                WHERE subscriber_id = \(subscriberID) AND (expires_at IS NULL OR expires_at > now() + make_interval(secs => \(seconds)))
                """, logger: database.logger)
        }
        let secret = WebhookSecret(key: Self.random(32)).encoded
        let rows = try await connection.query("""
            INSERT INTO \(unescaped: schema).webhook_secrets (subscriber_id, secret) VALUES (\(subscriberID), \(try sealer.seal(secret))) RETURNING id
            """, logger: database.logger)
        for try await id in rows.decode(Int64.self) { return WebhookSecretRecord(id: id, secret: secret) }
        throw HTTPError(.internalServerError)
    }

    func revokeSecret(_ subscriberID: String, secretID: Int64, by person: OperatorIdentity) async throws {
        try await database.transaction { connection in
            let rows = try await connection.query("""
                UPDATE \(unescaped: schema).webhook_secrets SET expires_at = now()
                WHERE subscriber_id = \(subscriberID) AND id = \(secretID) RETURNING 1
                """, logger: database.logger)
            guard try await rows.decode(Int.self).first(where: { _ in true }) != nil else {
                throw HTTPError(.notFound, message: "no secret \(secretID) of \(subscriberID)")
            }
            try await audit.append(by: person, "subscriber.secret.revoked", subject: "subscriber:\(subscriberID)",
                                   details: ["secret": "\(secretID)"], on: connection)
        }
    }

    func addSubscription(id: String?, subscriberID: String, filter: SubscriptionFilter, by person: OperatorIdentity) async throws -> String {
        let id = id ?? "sub_" + UUID().uuidString.lowercased()
        let json = String(decoding: try APIJSON.encoder.encode(filter), as: UTF8.self)
        try await database.transaction { connection in
            try await requireSubscriber(subscriberID, on: connection)
            try await connection.query("""
                INSERT INTO \(unescaped: schema).subscriptions (id, subscriber_id, filter) VALUES (\(id), \(subscriberID), \(json)::jsonb)
                ON CONFLICT (id) DO UPDATE SET filter = excluded.filter, active = true
                """, logger: database.logger)
            try await audit.append(by: person, "subscription.changed", subject: "subscription:\(id)",
                                   details: ["subscriber": subscriberID, "filter": json], on: connection)
        }
        return id
    }

    /// Seals again every secret stored in clear (before sealing began) or under a previous key; how many.
    func reseal() async throws -> Int {
        try await database.transaction { connection in
            let rows = try await connection.query("SELECT id, secret FROM \(unescaped: schema).webhook_secrets FOR UPDATE", logger: database.logger)
            var stale: [(Int64, String)] = []
            for try await (id, stored) in rows.decode((Int64, String).self) where sealer.needsResealing(stored) { stale.append((id, stored)) }
            for (id, stored) in stale {
                let sealed = try sealer.seal(try sealer.open(stored))
                try await connection.query("UPDATE \(unescaped: schema).webhook_secrets SET secret = \(sealed) WHERE id = \(id)", logger: database.logger)
            }
            return stale.count
        }
    }

    /// Deactivates a subscriber or a subscription (kept: the deliveries and feedback that refer to it stay on record).
    func deactivate(_ table: String, id: String, by person: OperatorIdentity) async throws {
        try await database.transaction { connection in
            let rows = try await connection.query("""
                UPDATE \(unescaped: schema).\(unescaped: table) SET active = false WHERE id = \(id) RETURNING 1
                """, logger: database.logger)
            guard try await rows.decode(Int.self).first(where: { _ in true }) != nil else { throw HTTPError(.notFound, message: "no \(id)") }
            try await audit.append(by: person, "\(table).deactivated", subject: "\(table):\(id)", on: connection)
        }
    }

    /// The subscriber a feedback token belongs to.
    func subscriber(ofToken token: String) async throws -> String? {
        let rows = try await database.query("""
            SELECT id FROM \(unescaped: schema).subscribers WHERE token_hash = \(Self.hash(token)) AND active
            """, logger: database.logger)
        for try await id in rows.decode(String.self) { return id }
        return nil
    }

    private func requireSubscriber(_ id: String, on connection: PostgresConnection) async throws {
        let rows = try await connection.query("SELECT 1 FROM \(unescaped: schema).subscribers WHERE id = \(id)", logger: database.logger)
        guard try await rows.decode(Int.self).first(where: { _ in true }) != nil else {
            throw HTTPError(.notFound, message: "no subscriber \(id)")
        }
    }

    static func random(_ bytes: Int) -> Data {
        SymmetricKey(size: SymmetricKeySize(bitCount: bytes * 8)).withUnsafeBytes { Data($0) }
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).hexString
    }
}
