import Events
import Foundation
import Persistence
import PostgresNIO
import ReferenceData
import RuleEngine

/// Keeps intake's real-time answers on the rule-base version smart-review publishes
/// (`rules.published`): each version is kept in intake's schema, so a restart resumes with the
/// latest one, and installed over the current knowledge base. An older version never replaces a
/// newer one.
struct RuleFollower: Sendable {
    let database: Database
    let reference: ReferenceData

    static let migration = Migration(3, "rule-base versions followed from smart-review", """
        CREATE TABLE {schema}.rule_sets (
          version int PRIMARY KEY,
          body jsonb NOT NULL,
          received_at timestamptz NOT NULL DEFAULT now());
        """)

    struct Malformed: PermanentEventError, CustomStringConvertible { let description: String }

    func apply(_ event: CloudEvent, on connection: PostgresConnection) async throws {
        let rules: RuleSet
        do {
            rules = try JSONDecoder().decode(RuleSet.self, from: Data(event.data))
            try rules.validate()
        } catch {
            throw Malformed(description: "rules.published event \(event.id) refused: \(error)")
        }
        try await connection.query("""
            INSERT INTO \(unescaped: database.schema).rule_sets (version, body) VALUES (\(rules.version), \(String(decoding: event.data, as: UTF8.self))::jsonb)
            ON CONFLICT (version) DO NOTHING
            """, logger: database.logger)
        try installIfNewer(rules)
    }

    /// At start-up, after the knowledge base: the newest version received before.
    func restore() async throws {
        let rows = try await database.query(
            "SELECT body::text FROM \(unescaped: database.schema).rule_sets ORDER BY version DESC LIMIT 1", logger: database.logger)
        for try await body in rows.decode(String.self) { try installIfNewer(try JSONDecoder().decode(RuleSet.self, from: Data(body.utf8))) }
    }

    private func installIfNewer(_ rules: RuleSet) throws {
        guard rules.version > (try reference.engine.rules.version) else { return }
        try reference.install(rules: rules)
        database.logger.notice("rule base followed", metadata: ["version": "\(rules.version)"])
    }
}
