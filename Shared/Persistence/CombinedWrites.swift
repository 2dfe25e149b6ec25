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
        var highest = 0
        let out = parameters(in: sql) { n, _ in
            highest = max(highest, n)
            return "$\(n + offset)"
        }
        return (out, highest)
    }

    /// Walks `sql`, handing each `$n` outside quoted text (and the text after it) to `body`, whose
    /// answer takes the `$n`'s place; gives the text so rewritten.
    static func parameters(in sql: String, _ body: (Int, Substring) -> String) -> String {
        var out = "", quoted = false
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
            out += body(n, rest)
        }
        return out
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

/// `CombinedWrites` run through a procedure planned once a session (`PlannedOnce`): for its values,
/// intake's round of four writes was planned on every round (~170-370 µs of PostgreSQL's time a
/// round, pg_stat_statements under scripts/profile.sh). Rows: none (`CALL`). Its procedure, named after its writes, is
/// made by the service's migrations (`function.migration`); every parameter of the writes' SQL is
/// written with its type (`$1::text[]`), which is how the procedure's arguments are known.
public struct PlannedWrites<each Write: WriteFragment>: PostgresPreparedStatement {
    public typealias Row = Int
    let combined: CombinedWrites<repeat each Write>

    public init(_ writes: repeat each Write) { combined = CombinedWrites(repeat each writes) }

    public static var sql: String { function.call }
    public static var name: String { "planned " + CombinedWrites<repeat each Write>.name }

    /// The procedure: its name from the writes' types (`writes_newclaims_tracecoderows…`), its body the combination's.
    public static var function: PlannedOnce {
        CombinedWritesSQL.planned(of: Self.self, combined: CombinedWrites<repeat each Write>.sql) {
            var names: [String] = []
            repeat names.append(String(describing: (each Write).self).lowercased())
            return names
        }
    }

    public func makeBindings() throws -> PostgresBindings { try combined.makeBindings() }
    public func decodeRow(_ row: PostgresRow) throws -> Int { try row.decode(Int.self) }

    /// Runs the writes in the caller's transaction.
    public func run(on connection: PostgresConnection, logger: Logger) async throws {
        _ = try await connection.rows(self, logger: logger)
    }
}

extension CombinedWritesSQL {
    private static let functions = Mutex<[ObjectIdentifier: PlannedOnce]>([:])

    static func planned(of type: Any.Type, combined sql: String, _ names: () -> [String]) -> PlannedOnce {
        if let known = functions.withLock({ $0[ObjectIdentifier(type)] }) { return known }
        let name = String(("writes_" + names().joined(separator: "_")).filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }.prefix(63))
        let made = PlannedOnce(procedure: name, arguments: arguments(of: sql), body: sql)
        functions.withLock { $0[ObjectIdentifier(type)] = made }
        return made
    }

    /// The types of `$1`, `$2`, … from their casts (`$3::int8[]`), quoted text left alone as
    /// `renumber` leaves it; a parameter without one stops the service at its first use, naming it
    /// (a defect of the writes' SQL, not of the data).
    static func arguments(of sql: String) -> [String] {
        var types: [Int: String] = [:]
        _ = parameters(in: sql) { n, after in
            let type = after.hasPrefix("::")
                ? after.dropFirst(2).prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "[" || $0 == "]") } : ""
            if !type.isEmpty || types[n] == nil { types[n] = String(type) }
            return ""
        }
        return (0..<(types.keys.max() ?? 0)).map { index in
            guard let type = types[index + 1], !type.isEmpty else {
                preconditionFailure("parameter $\(index + 1) of a planned write has no cast to its type: \(sql)")
            }
            return type
        }
    }
}
