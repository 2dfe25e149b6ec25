import AuditTrail
import Foundation
import Hummingbird
import OperatorAccess
import Persistence
import PostgresNIO

/// The bureau's operator accounts (`operators`, in intake's schema): one per person, with roles and a
/// PBKDF2 password. Every change is an entry of the service's audit chain, in the same transaction.
public struct OperatorAccounts: Sendable {
    public static let tableSQL = """
        CREATE TABLE {schema}.operators (
          user_id text PRIMARY KEY,
          roles text[] NOT NULL,
          salt bytea NOT NULL,
          password_hash bytea NOT NULL,
          rounds int NOT NULL,
          updated_at timestamptz NOT NULL DEFAULT now(),
          updated_by text NOT NULL);
        """

    /// The first platform administrator (`OPERATOR_BOOTSTRAP_USER`, `OPERATOR_BOOTSTRAP_PASSWORD`):
    /// accepted at login while no platform administrator exists, and then stored as one.
    public struct Bootstrap: Sendable {
        public var user: String
        public var password: String

        public init(user: String, password: String) {
            self.user = user
            self.password = password
        }
    }

    public let database: Database
    public let audit: AuditStore
    public let bootstrap: Bootstrap?
    var schema: String { database.schema }

    public init(database: Database, bootstrap: Bootstrap?) {
        self.database = database
        self.audit = AuditStore(database: database)
        self.bootstrap = bootstrap
    }

    /// Creates or replaces `user`'s account; 422 naming the first bad field.
    public func set(_ user: String, roles: Set<OperatorRole>, password: String, by person: OperatorIdentity) async throws {
        try Self.validate(user: user, roles: roles, password: password)
        let hash = try await PasswordHash.make(password)
        try await database.transaction { connection in
            try await store(user, roles: roles, hash: hash, by: person.user, on: connection)
            try await audit.append(by: person, "operator.account.set", subject: "operator:\(user)",
                                   details: ["granted": roles.map(\.rawValue).sorted().joined(separator: ",")], on: connection)
        }
    }

    /// The person whose password this is; nil for an unknown user or a wrong password (the same
    /// time either way, so timing does not reveal accounts).
    public func verify(_ user: String, password: String) async throws -> OperatorIdentity? {
        if let stored = try await account(user) {
            return try await stored.hash.matches(password) ? OperatorIdentity(user: user, roles: stored.roles) : nil
        }
        if let bootstrap, user == bootstrap.user, try await !hasAdministrator() {
            _ = try await PasswordHash.make(password)
            guard constantTimeEqual(password, bootstrap.password) else { return nil }
            return try await createBootstrapAdministrator()
        }
        _ = try await PasswordHash.make(password)
        return nil
    }

    public func list() async throws -> [(user: String, roles: [String], updatedBy: String)] {
        let rows = try await database.query("""
            SELECT user_id, roles, updated_by FROM \(unescaped: schema).operators ORDER BY user_id
            """, logger: database.logger)
        var accounts: [(String, [String], String)] = []
        for try await row in rows.decode((String, [String], String).self) { accounts.append(row) }
        return accounts
    }

    private func createBootstrapAdministrator() async throws -> OperatorIdentity? {
        guard let bootstrap else { return nil }
        let person = OperatorIdentity(user: bootstrap.user, roles: [.platformAdministrator])
        let hash = try await PasswordHash.make(bootstrap.password)
        try await database.transaction { connection in
            try await store(bootstrap.user, roles: person.roles, hash: hash, by: "bootstrap", on: connection)
            try await audit.append(actor: "bootstrap", action: "operator.account.set", subject: "operator:\(bootstrap.user)",
                                   details: ["granted": OperatorRole.platformAdministrator.rawValue,
                                             "reason": "first platform administrator (OPERATOR_BOOTSTRAP_USER)"], on: connection)
        }
        return person
    }

    private func store(_ user: String, roles: Set<OperatorRole>, hash: PasswordHash, by actor: String,
                       on connection: PostgresConnection) async throws {
        try await connection.query("""
            INSERT INTO \(unescaped: schema).operators (user_id, roles, salt, password_hash, rounds, updated_by)
            VALUES (\(user), \(roles.map(\.rawValue).sorted()), \(ByteBuffer(data: hash.salt)), \(ByteBuffer(data: hash.hash)), \(hash.rounds), \(actor))
            ON CONFLICT (user_id) DO UPDATE SET roles = excluded.roles, salt = excluded.salt, password_hash = excluded.password_hash,
              rounds = excluded.rounds, updated_at = now(), updated_by = excluded.updated_by
            """, logger: database.logger)
    }

    private func account(_ user: String) async throws -> (roles: Set<OperatorRole>, hash: PasswordHash)? {
        let rows = try await database.query("""
            SELECT roles, salt, password_hash, rounds FROM \(unescaped: schema).operators WHERE user_id = \(user)
            """, logger: database.logger)
        for try await (roles, salt, hash, rounds) in rows.decode(([String], ByteBuffer, ByteBuffer, Int).self) {
            return (Set(roles.compactMap(OperatorRole.init(rawValue:))),
                    PasswordHash(salt: Data(buffer: salt), hash: Data(buffer: hash), rounds: rounds))
        }
        return nil
    }

    private func hasAdministrator() async throws -> Bool {
        let rows = try await database.query("""
            SELECT 1 FROM \(unescaped: schema).operators WHERE \(OperatorRole.platformAdministrator.rawValue) = ANY(roles) LIMIT 1
            """, logger: database.logger)
        for try await _ in rows { return true }
        return false
    }

    static func validate(user: String, roles: Set<OperatorRole>, password: String) throws {
        guard !user.isEmpty, user.count <= 64, user.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) else {
            throw HTTPError(.unprocessableContent, message: "user must be 1-64 letters, digits, '.', '_' or '-'")
        }
        guard !roles.isEmpty else {
            throw HTTPError(.unprocessableContent, message: "roles must name at least one of \(OperatorRole.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard password.count >= 10 else { throw HTTPError(.unprocessableContent, message: "password must have at least 10 characters") }
    }
}
