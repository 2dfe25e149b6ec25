import Hummingbird
import OperatorAccess

/// The bureau's operators at a service's door: a short-lived signed operator token (issued by
/// intake's operator directory, `OPERATOR_JWT_SECRET`) names the person and their roles; each
/// operator route names the roles it admits.
public struct OperatorGate: Sendable {
    public let tokens: OperatorTokens

    public init(tokens: OperatorTokens) { self.tokens = tokens }

    /// The person behind the request's bearer token, who must hold one of `roles`: 401 without a
    /// valid token, 403 naming the roles when the person holds none of them.
    public func require(_ request: Request, _ roles: Set<OperatorRole>) async throws -> OperatorIdentity {
        let header = request.headers[.authorization] ?? ""
        guard header.hasPrefix("Bearer ") else { throw HTTPError(.unauthorized, message: "this operation needs an operator's bearer token") }
        let person: OperatorIdentity
        do {
            person = try await tokens.verify(String(header.dropFirst(7)))
        } catch let invalid as OperatorTokens.Invalid {
            throw HTTPError(.unauthorized, message: invalid.description)
        }
        guard person.holds(any: roles) else {
            throw HTTPError(.forbidden, message: "this operation needs the role \(roles.map(\.rawValue).sorted().joined(separator: " or ")); \(person.user) holds \(person.roles.map(\.rawValue).sorted().joined(separator: ", "))")
        }
        return person
    }
}

/// Admits a route group's requests only with an operator token holding one of `roles`.
public struct OperatorMiddleware: RouterMiddleware {
    public typealias Context = PlatformRequestContext
    let operators: OperatorGate
    let roles: Set<OperatorRole>

    public init(operators: OperatorGate, roles: Set<OperatorRole>) {
        self.operators = operators
        self.roles = roles
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        _ = try await operators.require(request, roles)
        return try await next(request, context)
    }
}
