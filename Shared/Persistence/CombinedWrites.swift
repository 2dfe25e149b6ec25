import Logging
import PostgresNIO

/// A data-modifying statement that can travel with others in one round trip (`CombinedWrites`).
/// Its SQL numbers its parameters from `$1`, as it would alone, and names its tables unqualified
/// (it is prepared: the session's `search_path` starts with the service's schema).
public protocol WriteFragment: Sendable {
    static var sql: String { get }
    /// Appends this write's values in the order of its parameters, `$1` first.
    func bind(into bindings: inout PostgresBindings)
}

/// Several writes of one transaction sent as one prepared statement: each a data-modifying common
/// table expression (`WITH w1 AS (INSERT …), w2 AS (UPDATE …) SELECT 1`), its parameters renumbered
/// after those of the writes before it. A write with no rows (empty arrays) does nothing, so a
/// combination is one fixed text however many of its writes have work.
///
/// Why: under load each round trip waits for both sides to be scheduled again, and intake's group
/// commit spent most of a round in its ten (scripts/profile.sh at 1,500 claims/s: a 3102 call's
/// p50 ~20 ms where its statements execute in ~3 ms). PostgreSQL runs the writes on one snapshot,
/// none seeing another's rows: only writes that do not read each other's tables may be combined.
public struct CombinedWrites<each Write: WriteFragment>: PostgresPreparedStatement {
    public typealias Row = Int
    public let writes: (repeat each Write)

    public init(_ writes: repeat each Write) { self.writes = (repeat each writes) }

    public static var sql: String {
        var fragments: [String] = []
        repeat fragments.append((each Write).sql)
        return CombinedWritesSQL.combine(fragments)
    }

    public func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings()
        repeat (each writes).bind(into: &bindings)
        return bindings
    }

    public func decodeRow(_ row: PostgresRow) throws -> Int { try row.decode(Int.self) }

    /// Runs the writes in the caller's transaction.
    public func run(on connection: PostgresConnection, logger: Logger) async throws {
        _ = try await connection.rows(self, logger: logger)
    }
}

enum CombinedWritesSQL {
    static func combine(_ fragments: [String]) -> String {
        var offset = 0, parts: [String] = []
        for (n, fragment) in fragments.enumerated() {
            let (renumbered, count) = renumber(fragment, after: offset)
            parts.append("w\(n + 1) AS (\(renumbered))")
            offset += count
        }
        return "WITH " + parts.joined(separator: ",\n") + "\nSELECT 1"
    }

    /// The fragment with each `$n` outside quoted text as `$(n + offset)`, and its highest `n`.
    static func renumber(_ sql: String, after offset: Int) -> (sql: String, parameters: Int) {
        var out = "", highest = 0, quoted = false
        var rest = Substring(sql)
        while let c = rest.first {
            rest = rest.dropFirst()
            if c == "'" { quoted.toggle() }
            let digits = rest.prefix(while: \.isASCIIDigit)
            guard c == "$", !quoted, let n = Int(digits) else {
                out.append(c)
                continue
            }
            rest = rest.dropFirst(digits.count)
            highest = max(highest, n)
            out += "$\(n + offset)"
        }
        return (out, highest)
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
