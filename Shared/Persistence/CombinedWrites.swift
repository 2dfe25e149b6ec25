import Logging
import PostgresNIO
import Synchronization

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
/// Why: each statement is a round trip, and a transaction holds its locks across all of them.
/// intake's group commit wrote a round in four (claims, codes, outbox row, answers); now one. On
/// this project's one machine the figures moved within the noise (README, session 13); against a
/// PostgreSQL on another host each round trip saved is a network one. PostgreSQL runs the writes on
/// one snapshot, none seeing another's rows: only writes that do not read each other's tables may
/// be combined.
public struct CombinedWrites<each Write: WriteFragment>: PostgresPreparedStatement {
    public typealias Row = Int
    public let writes: (repeat each Write)

    public init(_ writes: repeat each Write) { self.writes = (repeat each writes) }

    /// PostgresNIO reads a statement's name and text on every execution: made once per combination.
    public static var sql: String { text.sql }
    public static var name: String { text.name }

    private static var text: (name: String, sql: String) {
        CombinedWritesSQL.text(of: Self.self) {
            var fragments: [String] = []
            repeat fragments.append((each Write).sql)
            return fragments
        }
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
    private static let texts = Mutex<[ObjectIdentifier: (name: String, sql: String)]>([:])

    static func text(of type: Any.Type, _ fragments: () -> [String]) -> (name: String, sql: String) {
        if let known = texts.withLock({ $0[ObjectIdentifier(type)] }) { return known }
        let made = (name: String(reflecting: type), sql: combine(fragments()))
        texts.withLock { $0[ObjectIdentifier(type)] = made }
        return made
    }

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
