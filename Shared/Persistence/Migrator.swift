import Foundation
import Logging
import PostgresNIO

/// A numbered SQL migration of one schema. `{schema}` in the SQL is replaced by the schema name.
/// Statements end with `;` at the end of a line (each runs as its own prepared statement).
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let sql: String
    /// Run at every start-up, not once: a definition made from the code's own text (a function
    /// around a statement the code keeps, dropped and made again), so that the database always holds
    /// the text this build runs, never the one of the build that first applied the version.
    public let repeatsAtStart: Bool

    public init(_ version: Int, _ name: String, _ sql: String, repeatsAtStart: Bool = false) {
        self.version = version
        self.name = name
        self.sql = sql
        self.repeatsAtStart = repeatsAtStart
    }
}

/// Applies a service's migrations at start-up, once each, under an advisory lock so that two
/// replicas starting together do not race. The platform's own tables (outbox, inbox, dead
/// letters) come first, as migrations 0, -1, -2 …: negative numbers never meet a service's own.
public struct Migrator: Sendable {
    let database: Database

    public init(_ database: Database) { self.database = database }

    public func migrate(_ migrations: [Migration]) async throws {
        let schema = database.schema
        let all = PlatformTables.migrations + migrations
        let versions = Dictionary(grouping: all, by: \.version).filter { $0.value.count > 1 }
        guard versions.isEmpty else {
            throw MigrationError(description: "migration versions used twice: " + versions.map { "\($0.key) (\($0.value.map(\.name).joined(separator: "; ")))" }.joined(separator: ", "))
        }
        try await database.transaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(schema)))", logger: database.logger)
            try await run("""
                CREATE SCHEMA IF NOT EXISTS \(schema);
                CREATE TABLE IF NOT EXISTS \(schema).schema_migrations (
                  version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
                """, on: connection)
            let applied = try await appliedVersions(connection)
            for migration in all where !applied.contains(migration.version) || migration.repeatsAtStart {
                database.logger.info("applying migration", metadata: ["schema": "\(schema)", "version": "\(migration.version)", "name": "\(migration.name)"])
                try await run(migration.sql.replacingOccurrences(of: "{schema}", with: schema), on: connection)
                try await connection.query("""
                    INSERT INTO \(unescaped: schema).schema_migrations(version, name) VALUES (\(migration.version), \(migration.name))
                    ON CONFLICT (version) DO NOTHING
                    """, logger: database.logger)
            }
        }
    }

    private func run(_ sql: String, on connection: PostgresConnection) async throws {
        for statement in statements(sql) {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: database.logger)
        }
    }

    func statements(_ sql: String) -> [String] {
        sql.components(separatedBy: ";\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .map { $0.hasSuffix(";") ? String($0.dropLast()) : $0 }
            .filter { !$0.isEmpty }
    }

    private func appliedVersions(_ connection: PostgresConnection) async throws -> Set<Int> {
        var versions = Set<Int>()
        let rows = try await connection.query("SELECT version FROM \(unescaped: database.schema).schema_migrations", logger: database.logger)
        for try await version in rows.decode(Int.self) { versions.insert(version) }
        return versions
    }
}

enum PlatformTables {
    static let migrations = [
        Migration(0, "platform tables", sql),
        // The relay parks events the broker refuses for good beside the consumers' dead letters;
        // `source` tells them apart, and an outbox one has no partition or offset but its seq and key.
        Migration(-1, "outbox dead letters", """
            ALTER TABLE {schema}.dead_letters ADD COLUMN source text NOT NULL DEFAULT 'consumer';
            ALTER TABLE {schema}.dead_letters ALTER COLUMN kafka_partition DROP NOT NULL;
            ALTER TABLE {schema}.dead_letters ALTER COLUMN kafka_offset DROP NOT NULL;
            ALTER TABLE {schema}.dead_letters ADD COLUMN outbox_seq bigint;
            ALTER TABLE {schema}.dead_letters ADD COLUMN event_key bytea;
            """),
        // An event is a few kB: pglz compressing it was PostgreSQL's heaviest function under load
        // (scripts/profile.sh); lz4 costs a fraction where the server has it, pglz stays where not.
        Migration(-2, "outbox payloads compressed with lz4", """
            DO $$ BEGIN ALTER TABLE {schema}.outbox ALTER COLUMN payload SET COMPRESSION lz4; EXCEPTION WHEN OTHERS THEN RAISE NOTICE 'lz4 not available: pglz stays'; END $$
            """),
        // An event whose payload is a record the service keeps anyway (intake's accepted claims)
        // names that record instead of holding a second copy of it (`OutboxPayloadSource`).
        Migration(-3, "outbox rows may carry their payload by reference", """
            ALTER TABLE {schema}.outbox ALTER COLUMN payload DROP NOT NULL;
            ALTER TABLE {schema}.outbox ADD COLUMN payload_ref text;
            ALTER TABLE {schema}.outbox ADD CONSTRAINT outbox_payload_or_reference CHECK (payload IS NOT NULL OR payload_ref IS NOT NULL)
            """),
        // The headers are written by `Outbox.headers` and read back whole by the relay, never
        // queried inside: `json` checks and keeps the text, where `jsonb` built a binary tree from
        // it on every row (a third of an outbox row's insert: 200,000 rows in 1.18 s against 1.71 s).
        Migration(-4, "outbox headers kept as json text", """
            ALTER TABLE {schema}.outbox ALTER COLUMN headers TYPE json USING headers::json
            """),
        // A row may stand for several events by reference (`Outbox.Entry.members`): one row, its
        // three index entries and its delete for a whole round of intake's claims, where a row each
        // was intake's third COPY (60 µs of PostgreSQL's time a claim under scripts/profile.sh).
        Migration(-5, "outbox rows that stand for several events", """
            ALTER TABLE {schema}.outbox ADD COLUMN members text;
            ALTER TABLE {schema}.outbox DROP CONSTRAINT outbox_payload_or_reference;
            ALTER TABLE {schema}.outbox ADD CONSTRAINT outbox_payload_or_reference
              CHECK (payload IS NOT NULL OR payload_ref IS NOT NULL OR members IS NOT NULL)
            """),
        AdvisoryLocks.procedure.migration(-6, "advisory locks taken through a procedure planned once a session"),
        // A round's members are a few hundred bytes a claim, kB a row: pglz compressing them was
        // ~1.3% of intake's PostgreSQL sessions under load (perf on those backends), as the payloads' was.
        Migration(-7, "outbox members compressed with lz4", """
            DO $$ BEGIN ALTER TABLE {schema}.outbox ALTER COLUMN members SET COMPRESSION lz4; EXCEPTION WHEN OTHERS THEN RAISE NOTICE 'lz4 not available: pglz stays'; END $$
            """),
    ]

    static let sql = """
        CREATE TABLE {schema}.outbox (
          seq bigserial PRIMARY KEY,
          event_id text NOT NULL UNIQUE,
          topic text NOT NULL,
          key bytea,
          headers jsonb NOT NULL,
          payload bytea NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now(),
          published_at timestamptz);
        CREATE INDEX outbox_unpublished ON {schema}.outbox (seq) WHERE published_at IS NULL;
        CREATE TABLE {schema}.inbox (
          consumer text NOT NULL,
          event_id text NOT NULL,
          processed_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (consumer, event_id));
        CREATE TABLE {schema}.dead_letters (
          id bigserial PRIMARY KEY,
          consumer text NOT NULL,
          topic text NOT NULL,
          kafka_partition int NOT NULL,
          kafka_offset bigint NOT NULL,
          event_id text,
          error text NOT NULL,
          headers jsonb NOT NULL,
          payload bytea NOT NULL,
          failed_at timestamptz NOT NULL DEFAULT now());
        """
}

/// A list of migrations that cannot be applied as given (two with one version).
public struct MigrationError: Error, CustomStringConvertible {
    public let description: String
}
