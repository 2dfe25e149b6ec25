import Events
import Foundation
import Persistence
import PostgresNIO
import RuleEngine
import ServiceLifecycle

/// Follows credit's sanctions on `credit.changes` for the service whose rule engine enforces them
/// (intake at the door, smart-review in the full review). Each sanction change is kept in the
/// service's own schema (`credit_sanctions`, once per change id, as the inbox keeps the event once),
/// and the register is rebuilt from all of them, so a restart, a redelivery or a reordering gives
/// the same register; replicas that did not receive the event pick it up from the table (`Refresh`).
public struct SanctionFollower: Sendable {
    let database: Database
    let reference: ReferenceData

    public init(database: Database, reference: ReferenceData) {
        self.database = database
        self.reference = reference
    }

    public static func migration(_ version: Int) -> Migration {
        Migration(version, "credit's sanctions followed from credit.changes", """
            CREATE TABLE {schema}.credit_sanctions (
              change_id text PRIMARY KEY,
              change jsonb NOT NULL,
              received_at timestamptz NOT NULL DEFAULT now());
            """)
    }

    struct Malformed: PermanentEventError, CustomStringConvertible { let description: String }

    /// Records the event's sanction effect, if it has one, and installs the register it gives.
    public func apply(_ event: CloudEvent, on connection: PostgresConnection) async throws {
        guard event.type == EventType.creditChange else { return }
        let credit: CreditChanged
        do { credit = try event.decode(CreditChanged.self) } catch {
            throw Malformed(description: "credit.changes event \(event.id) cannot be read: \(error)")
        }
        guard let change = Self.sanctionChange(credit) else { return }
        let rows = try await connection.query("""
            INSERT INTO \(unescaped: database.schema).credit_sanctions (change_id, change)
            VALUES (\(change.id), \(String(decoding: try JSONEncoder().encode(change), as: UTF8.self))::jsonb)
            ON CONFLICT (change_id) DO NOTHING RETURNING 1
            """, logger: database.logger)
        var inserted = false
        for try await _ in rows { inserted = true }
        // Before the first load the change waits in the table: `restore` installs it after the load.
        guard inserted, reference.isLoaded else { return }
        try reference.install(sanctions: try await register(on: connection))
        database.logger.notice("credit sanction followed", metadata: ["change": "\(change.id)", "subject": "\(change.subject.kind.rawValue):\(change.subject.id)"])
    }

    /// The sanction effect of a credit change; nil when it has none. A sanction change whose dates do not
    /// parse cannot be enforced: it is refused (dead-lettered) rather than ignored.
    static func sanctionChange(_ credit: CreditChanged) -> SanctionChange? {
        SanctionChange.reading(changeId: credit.changeId, subjectKind: credit.subjectKind, subjectId: credit.subjectId, change: credit.change,
                               after: credit.after, caseId: credit.caseId, effectiveFrom: credit.effectiveFrom,
                               effectiveUntil: credit.effectiveUntil, measures: credit.measures)
    }

    /// At start-up, after the knowledge base, and on every refresh: the register of the stored changes.
    public func restore() async throws {
        let register = try await database.read { try await self.register(on: $0) }
        if register != (try reference.engine.sanctions) { try reference.install(sanctions: register) }
    }

    private func register(on connection: PostgresConnection) async throws -> SanctionRegister {
        let rows = try await connection.query("SELECT change::text FROM \(unescaped: database.schema).credit_sanctions", logger: database.logger)
        var changes: [SanctionChange] = []
        for try await text in rows.decode(String.self) { changes.append(try JSONDecoder().decode(SanctionChange.self, from: Data(text.utf8))) }
        return SanctionRegister(changes: changes)
    }

    /// Re-reads the stored changes every `interval`, for the replicas the event's partition did not reach.
    public struct Refresh: Service {
        let follower: SanctionFollower
        let interval: Duration

        public init(follower: SanctionFollower, interval: Duration = .seconds(10)) {
            self.follower = follower
            self.interval = interval
        }

        public func run() async throws {
            try await repeatUntilShutdown(pause: { [interval] in interval }) { [follower] in
                if follower.reference.isLoaded { try? await follower.restore() }
            }
        }
    }
}
