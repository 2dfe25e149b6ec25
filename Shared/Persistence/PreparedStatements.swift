import Logging
import PostgresNIO

/// The hot path's statements are prepared: PostgresNIO sends each once per pooled connection and
/// PostgreSQL keeps it parsed and analysed, where an unnamed statement was parsed again on every
/// call. They are still planned for each call's values (`plan_cache_mode`, `Database.sessionSettings`):
/// a generic plan, made once from the tables as they were, went wrong on tables that grow.
/// A prepared statement's SQL is fixed text, so it names its tables unqualified: every session
/// of a `Database` has the service's schema first on its `search_path`.
extension PostgresConnection {
    /// Runs a prepared statement that returns no rows (a write).
    public func run<Statement: PostgresPreparedStatement>(_ statement: Statement, logger: Logger) async throws where Statement.Row == () {
        // Read to its end (PostgresNIO's command-tag overload traps when asked before the end is read).
        _ = try await rows(statement, logger: logger)
    }

    /// Runs a prepared statement and collects its rows.
    public func rows<Statement: PostgresPreparedStatement>(_ statement: Statement, logger: Logger) async throws -> [Statement.Row] {
        var rows: [Statement.Row] = []
        for try await row in try await execute(statement, logger: logger) { rows.append(row) }
        return rows
    }
}

/// Transaction-scoped advisory locks on a set of keys, taken in key order so that two
/// transactions taking some of the same keys cannot deadlock.
public struct AdvisoryLocks: BoundStatement {
    /// A procedure (`PlannedOnce`, the platform's migration -6): a 3102 round takes locks twice,
    /// and planning the statement for its keys was ~50 µs of PostgreSQL's time each.
    public static let sql = procedure.call
    static let procedure = PlannedOnce(procedure: "take_advisory_locks", arguments: ["text[]"], body: "SELECT " + inKeyOrder(of: "$1"))

    /// The locks of the keys of a `text[]` parameter taken in key order (one value, their count):
    /// here and in reads that lock first (`PlannedOnce.lockingKeysOf`).
    static func inKeyOrder(of parameter: String) -> String {
        "count(pg_advisory_xact_lock(hashtext(k))) FROM (SELECT k FROM unnest(\(parameter)::text[]) AS t(k) ORDER BY k) AS ordered"
    }
    public typealias Row = Int
    public var keys: [String]

    public init(_ keys: some Sequence<String>) { self.keys = Array(Set(keys)) }

    public var bindings: PostgresBindings { PostgresBindings(keys) }

    /// Takes the locks for the rest of the caller's transaction; nothing when there are no keys.
    public func take(on connection: PostgresConnection, logger: Logger) async throws {
        guard !keys.isEmpty else { return }
        _ = try await connection.rows(self, logger: logger)
    }
}

/// A prepared statement whose bindings are made with it, and whose row, when it is one value,
/// needs no decoding of its own.
public protocol BoundStatement: PostgresPreparedStatement {
    var bindings: PostgresBindings { get }
}

extension BoundStatement {
    public func makeBindings() throws -> PostgresBindings { bindings }
}

extension BoundStatement where Row: PostgresDecodable {
    public func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}

extension BoundStatement where Row == () {
    public func decodeRow(_ row: PostgresRow) throws {}
}

extension PostgresBindings {
    /// The values in order, `$1` first.
    public init<each Value: PostgresDynamicTypeEncodable>(_ values: repeat each Value) {
        self.init()
        repeat append(each values)
    }
}
