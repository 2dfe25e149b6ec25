/// A statement of the hot path kept as a PL/pgSQL function, so that PostgreSQL plans it once a
/// session instead of for every call's values.
///
/// The sessions plan each prepared statement for its values (`plan_cache_mode =
/// force_custom_plan`, `Database.sessionSettings`): a generic plan is made from the statistics of
/// the moment, and one made in a fresh deployment's first minutes read a small table by
/// sequential scans long after it had grown. Planning for every call's values costs as much as
/// running some statements (the history lookup of a 3102 round: ~390 µs of planning against
/// ~175 of execution, pg_stat_statements under scripts/profile.sh). A PL/pgSQL function keeps its
/// statements' plans for the session; here it makes them generic (`plan_cache_mode`) with
/// `enable_seqscan` off, so that each key is read through its index whatever the statistics say
/// (the statements are written for that: lookups by key, `LATERAL … OFFSET 0`, inserts from
/// `unnest`), and names its tables through the service's schema (`search_path`).
///
/// The function is made again at every start-up (`Migration.repeatsAtStart`) from `body`, so the
/// database runs the text of the build that runs it.
public struct PlannedOnce: Sendable {
    /// The function's name in the service's schema.
    public let function: String
    /// The types of `$1`, `$2`, … in `body`, in order.
    public let arguments: [String]
    /// What a read returns (`TABLE (…)` of its columns); nil for writes, which are a procedure. The
    /// columns named here are variables inside the body: the body names its own columns by table.
    public let returns: String?
    /// The statement, its parameters `$1`, `$2`, …; no `;` at the end of a line (`Migrator`). The
    /// writes of a procedure end in a `SELECT` of one value (`CombinedWrites`' `SELECT 1`).
    public let body: String
    /// A read that first takes transaction-scoped advisory locks on the keys of this parameter
    /// (its number, `$n`, a `text[]`), in key order as `AdvisoryLocks` takes them.
    public let lockingKeysOf: Int?
    /// A read whose body writes before it returns rows (`INSERT … RETURNING`), or calls what writes or locks.
    public let writes: Bool

    /// VOLATILE: a procedure, or a read that locks or writes.
    public var isVolatile: Bool { returns == nil || writes || lockingKeysOf != nil }

    /// A read, called as a set-returning function; with `lockingKeysOf`, the locks are taken first,
    /// in the same round trip; `writes` for a body that writes (or calls what writes or locks).
    public init(function: String, arguments: [String], returns: String, lockingKeysOf: Int? = nil, writes: Bool = false, body: String) {
        self.function = function
        self.arguments = arguments
        self.returns = returns
        self.lockingKeysOf = lockingKeysOf
        self.writes = writes
        self.body = body
    }

    /// Writes, called as a procedure: `CALL` is not planned at all, where a function call is
    /// planned for its values like any statement, and its arrays of records (a round's payloads)
    /// made that planning cost ~250 µs a round (pg_stat_statements).
    public init(procedure: String, arguments: [String], body: String) {
        function = procedure
        self.arguments = arguments
        returns = nil
        lockingKeysOf = nil
        writes = true
        self.body = body
    }

    /// The prepared statement that calls it, its parameters as the body's.
    public var call: String {
        let parameters = arguments.enumerated().map { "$\($0.offset + 1)::\($0.element)" }.joined(separator: ", ")
        return returns == nil ? "CALL \(function)(\(parameters))" : "SELECT * FROM \(function)(\(parameters))"
    }

    /// The migration that makes it (again at every start-up).
    public func migration(_ version: Int, _ name: String) -> Migration {
        let signature = "{schema}.\(function)(\(arguments.joined(separator: ", ")))"
        let settings = "SET plan_cache_mode = force_generic_plan SET enable_seqscan = off SET search_path = {schema}, public"
        guard let returns else {
            return Migration(version, name, """
                DROP PROCEDURE IF EXISTS \(signature);
                CREATE PROCEDURE \(signature) LANGUAGE plpgsql \(settings)
                  AS $fn$ DECLARE done int; BEGIN \(body) INTO done; END $fn$
                """, repeatsAtStart: true)
        }
        // A read that locks is VOLATILE: a STABLE function's statements read with the snapshot of
        // the call, taken before it waited for the locks, and would miss what their holders committed.
        let locks = lockingKeysOf.map { "PERFORM \(AdvisoryLocks.inKeyOrder(of: "$\($0)")); " } ?? "", volatility = isVolatile ? "VOLATILE" : "STABLE"
        return Migration(version, name, """
            DROP FUNCTION IF EXISTS \(signature);
            CREATE FUNCTION \(signature) RETURNS \(returns) LANGUAGE plpgsql \(volatility) \(settings)
              AS $fn$ BEGIN \(locks)RETURN QUERY \(body); END $fn$
            """, repeatsAtStart: true)
    }
}
