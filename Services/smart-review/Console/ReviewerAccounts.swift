import Foundation
import Hummingbird
import OperatorAccess
import OperatorDirectory
import Persistence
import PostgresNIO
import ReviewWorkflow

/// What an operator sets for a console account (`PUT /api/admin/reviewers/{user}`).
struct AccountRequest: Decodable, Sendable {
    var role: String
    var admdvs: String
    var password: String
    /// The institution an `institution` account speaks for.
    var medins: String?

    /// The post, region and institution after checking each field; 422 naming the first bad one.
    func validated() throws -> (WorkbenchRole, String, String?) {
        guard let post = WorkbenchRole(rawValue: role) else {
            throw HTTPError(.unprocessableContent, message: "role must be one of \(WorkbenchRole.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard admdvs.count == 6, admdvs.allSatisfy(\.isASCII), admdvs.allSatisfy(\.isNumber) else {
            throw HTTPError(.unprocessableContent, message: "admdvs must be a six-digit region code")
        }
        guard password.count >= 8 else { throw HTTPError(.unprocessableContent, message: "password must have at least 8 characters") }
        if post == .institution, (medins ?? "").isEmpty {
            throw HTTPError(.unprocessableContent, message: "medins is required for an institution account")
        }
        return (post, admdvs, post == .institution ? medins : nil)
    }
}

/// The console's accounts (`reviewer_accounts`, migration 5). The API keeps taking tokens from the
/// bureau's identity provider; these accounts only back the console's own login form.
struct ReviewerAccounts: Sendable {
    static let sql = """
        CREATE TABLE {schema}.reviewer_accounts (
          user_id text PRIMARY KEY,
          role text NOT NULL,
          admdvs text NOT NULL,
          medins_id text,
          salt text NOT NULL,
          password_hash text NOT NULL,
          rounds int NOT NULL,
          updated_at timestamptz NOT NULL DEFAULT now());
        """

    let workbench: Workbench
    var database: Database { workbench.database }

    /// Creates or replaces an account; the change and its audit entry commit together.
    func set(_ user: String, _ request: AccountRequest, by person: OperatorIdentity) async throws -> Reviewer {
        guard !user.isEmpty, user.count <= 64, user.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) else {
            throw HTTPError(.unprocessableContent, message: "user must be 1-64 letters, digits, '.', '_' or '-'")
        }
        let (role, admdvs, medins) = try request.validated()
        let hash = try await PasswordHash.make(request.password)
        try await database.transaction { connection in
            try await connection.query("""
                INSERT INTO \(unescaped: database.schema).reviewer_accounts (user_id, role, admdvs, medins_id, salt, password_hash, rounds)
                VALUES (\(user), \(role.rawValue), \(admdvs), \(medins), \(hash.salt.base64EncodedString()),
                        \(hash.hash.base64EncodedString()), \(hash.rounds))
                ON CONFLICT (user_id) DO UPDATE SET role = excluded.role, admdvs = excluded.admdvs, medins_id = excluded.medins_id,
                  salt = excluded.salt, password_hash = excluded.password_hash, rounds = excluded.rounds, updated_at = now()
                """, logger: database.logger)
            try await workbench.audit.store.append(by: person, "account.set", subject: "reviewer:\(user)",
                                                   details: ["role": role.rawValue, "admdvs": admdvs, "medins": medins ?? ""], on: connection)
        }
        return Reviewer(user: user, role: role, admdvs: admdvs, medinsID: medins)
    }

    /// The reviewer whose password this is; nil for an unknown user or a wrong password (told apart
    /// only in the audit log, never to the caller).
    func verify(_ user: String, password: String) async throws -> (reviewer: Reviewer?, problem: String) {
        let rows = try await database.query("""
            SELECT role, admdvs, medins_id, salt, password_hash, rounds FROM \(unescaped: database.schema).reviewer_accounts
            WHERE user_id = \(user)
            """, logger: database.logger)
        for try await (role, admdvs, medins, salt, hash, rounds) in rows.decode((String, String, String?, String, String, Int).self) {
            let stored = PasswordHash(salt: Data(base64Encoded: salt) ?? Data(), hash: Data(base64Encoded: hash) ?? Data(), rounds: rounds)
            guard try await stored.matches(password), let post = WorkbenchRole(rawValue: role) else { return (nil, "wrong password") }
            return (Reviewer(user: user, role: post, admdvs: admdvs, medinsID: medins), "")
        }
        // An unknown user costs the same time as a wrong password, so timing does not reveal accounts.
        _ = try await PasswordHash.make(password)
        return (nil, "unknown user")
    }
}
