import AuditTrail
import Events
import Foundation
import Logging
import OperatorAccess
import Persistence
import PostgresNIO
import ReferenceData
import ReviewWorkflow
import RuleEngine

/// The rule base (规则库) as versioned data, maintained while running (动态维护升级): a bureau
/// publishes a new version; it is validated against its schema, stored, and used for every claim
/// reviewed from then on, without a restart. Every finding and review names the version.
struct RuleBase: Sendable {
    let database: Database
    let reference: ReferenceData

    /// Installs the newest stored version, or stores the defaults on first start.
    func load() async throws {
        if let latest = try await stored().last {
            try reference.install(rules: latest)
        } else {
            try await store(.defaults, by: "defaults")
            try reference.install(rules: .defaults)
        }
    }

    /// Publishes a new version. Refused, with the reason, when it breaks its schema or does not
    /// come after the current version.
    func publish(_ rules: RuleSet, by person: OperatorIdentity) async throws {
        do {
            try rules.validate()
        } catch {
            throw WorkbenchError.malformed("rule set refused: \(error)")
        }
        let current = try reference.engine.rules.version
        guard rules.version > current else {
            throw WorkbenchError.conflict("rule set version \(rules.version) must be greater than the current \(current)")
        }
        let audit = AuditStore(database: database)
        try await store(rules, by: person.user) { connection in
            try await audit.append(by: person, "rules.published", subject: "rule-set:\(rules.version)", on: connection)
        }
        try reference.install(rules: rules)
        database.logger.notice("rule base published", metadata: ["version": "\(rules.version)", "by": "\(person.user)"])
    }

    func stored() async throws -> [RuleSet] {
        let rows = try await database.query("SELECT body::text FROM \(unescaped: database.schema).rule_sets ORDER BY version",
                                                   logger: database.logger)
        var sets: [RuleSet] = []
        for try await body in rows.decode(String.self) { sets.append(try JSONDecoder().decode(RuleSet.self, from: Data(body.utf8))) }
        return sets
    }

    /// Stores the version and announces it on `rules.published` (intake follows it) in one transaction.
    private func store(_ rules: RuleSet, by publisher: String,
                       also: @escaping @Sendable (PostgresConnection) async throws -> Void = { _ in }) async throws {
        let data = try JSONEncoder().encode(rules)
        let event = CloudEvent(id: "rules:\(rules.version)", source: "/smart-review", type: EventType.rulesPublished, data: Array(data))
        try await database.transaction { connection in
            try await connection.query("""
                INSERT INTO \(unescaped: database.schema).rule_sets (version, body, published_by)
                VALUES (\(rules.version), \(String(decoding: data, as: UTF8.self))::jsonb, \(publisher))
                """, logger: database.logger)
            try await Outbox.enqueue(event, topic: Topic.rulesPublished, key: "rules", schema: database.schema, on: connection, logger: database.logger)
            try await also(connection)
        }
    }
}
