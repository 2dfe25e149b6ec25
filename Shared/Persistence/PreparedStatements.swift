import Logging
import PostgresNIO

/// The hot path's statements are prepared: PostgresNIO sends each once per pooled connection and
/// PostgreSQL keeps it parsed and analysed, where an unnamed statement was parsed again on every
/// call. They are still planned for each call's values (`plan_cache_mode`, `Database.sessionSettings`):
/// a generic plan, made once from the tables as they were, went wrong on tables that grow.
/// A prepared statement's SQL is fixed text, so it names its tables unqualified: every session
/// of a `Database` has the service's schema first on its `search_path`.
extension PostgresConnection {
    /// Runs a prepared statement and collects its rows.
    public func rows<Statement: PostgresPreparedStatement>(_ statement: Statement, logger: Logger) async throws -> [Statement.Row] {
        var rows: [Statement.Row] = []
        for try await row in try await execute(statement, logger: logger) { rows.append(row) }
        return rows
    }
}

/// Transaction-scoped advisory locks on a set of keys, taken in key order so that two
/// transactions taking some of the same keys cannot deadlock.
public struct AdvisoryLocks: PostgresPreparedStatement {
    public static let sql = """
        SELECT count(pg_advisory_xact_lock(hashtext(k))) FROM (SELECT k FROM unnest($1::text[]) AS t(k) ORDER BY k) AS ordered
        """
    public typealias Row = Int
    public var keys: [String]

    public init(_ keys: some Sequence<String>) { self.keys = Array(Set(keys)) }

    public func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(keys)
        return bindings
    }

    public func decodeRow(_ row: PostgresRow) throws -> Int { try row.decode(Int.self) }

    /// Takes the locks for the rest of the caller's transaction; nothing when there are no keys.
    public func take(on connection: PostgresConnection, logger: Logger) async throws {
        guard !keys.isEmpty else { return }
        _ = try await connection.rows(self, logger: logger)
    }
}
