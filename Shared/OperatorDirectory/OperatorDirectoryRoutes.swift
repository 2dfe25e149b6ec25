import AuditTrail
import Foundation
import Hummingbird
import OperatorAccess
import ServiceKit

/// `POST /api/operators/login` (a short-lived operator token for a person's password, throttled per
/// name), `PUT /api/operators/{user}` and `GET /api/operators` (platform administrators).
public struct OperatorDirectoryRoutes: Sendable {
    struct Login: Decodable {
        var user: String
        var password: String
    }

    struct AccountBody: Decodable {
        var roles: [String]
        var password: String
    }

    struct Issued: Encodable {
        var token: String
        var expiresAt: Date
        var user: String
        var roles: [String]
    }

    struct Account: Encodable {
        var user: String
        var roles: [String]
        var updatedBy: String
    }

    let accounts: OperatorAccounts
    let operators: OperatorGate
    let throttle: LoginThrottle

    public init(accounts: OperatorAccounts, operators: OperatorGate, throttle: LoginThrottle = LoginThrottle()) {
        self.accounts = accounts
        self.operators = operators
        self.throttle = throttle
    }

    public func register(on router: Router<PlatformRequestContext>) {
        router.post("/api/operators/login") { request, _ in try await login(request) }
        router.put("/api/operators/:user") { request, context in
            let person = try await operators.require(request, [.platformAdministrator])
            let body = try await request.decode(as: AccountBody.self, context: context)
            let roles = try body.roles.map { name in
                guard let role = OperatorRole(rawValue: name) else {
                    throw HTTPError(.unprocessableContent, message: "roles: \(name) is not one of \(OperatorRole.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return role
            }
            let user = try context.parameters.require("user")
            try await accounts.set(user, roles: Set(roles), password: body.password, by: person)
            return try jsonResponse(Account(user: user, roles: roles.map(\.rawValue).sorted(), updatedBy: person.user))
        }
        router.get("/api/operators") { request, _ in
            _ = try await operators.require(request, [.platformAdministrator, .auditor])
            return try jsonResponse(try await accounts.list().map { Account(user: $0.user, roles: $0.roles, updatedBy: $0.updatedBy) })
        }
    }

    private func login(_ request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: 16 << 10)
        guard let form = try? JSONDecoder().decode(Login.self, from: Data(buffer: body)), !form.user.isEmpty else {
            throw HTTPError(.badRequest, message: "expected {\"user\", \"password\"}")
        }
        let user = String(form.user.prefix(64))
        if case .locked(let until) = throttle.verdict(for: user) {
            throw HTTPError(.tooManyRequests, message: "\(user) is locked after repeated failed logins until \(ISO8601DateFormatter().string(from: until))")
        }
        guard let person = try await accounts.verify(user, password: form.password) else {
            if throttle.failed(user) {
                _ = try await accounts.audit.database.transaction { connection in
                    try await accounts.audit.append(actor: user, action: "operator.locked", subject: "operator:\(user)",
                                                    details: ["failures": "\(throttle.policy.limit)"], on: connection)
                }
            }
            throw HTTPError(.unauthorized, message: "wrong user or password")
        }
        throttle.succeeded(user)
        let (token, expires) = try await operators.tokens.mint(person)
        return try jsonResponse(Issued(token: token, expiresAt: expires, user: person.user, roles: person.roles.map(\.rawValue).sorted()))
    }
}
