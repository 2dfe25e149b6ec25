import Foundation

/// An operator's login at intake's operator directory (`POST /api/operators/login`): a short-lived
/// token naming the person and their roles, for every service's operator routes.
public enum OperatorLogin {
    public struct Issued: Codable, Sendable {
        public var token: String
        public var expiresAt: String
        public var user: String
        public var roles: [String]
    }

    public static func login(intake: String, user: String, password: String) async throws -> Issued {
        try await API.call(Issued.self, "POST", "\(intake)/api/operators/login", json: ["user": user, "password": password])
    }

    /// Creates or replaces a person's account (as a platform administrator).
    public static func setAccount(intake: String, token: String, user: String, roles: [String], password: String) async throws {
        struct Account: Encodable {
            var roles: [String]
            var password: String
        }
        _ = try await API.call("PUT", "\(intake)/api/operators/\(user)", token: token,
                               body: try JSONEncoder().encode(Account(roles: roles, password: password)))
    }
}
