import Foundation
import JWTKit

/// Short-lived operator tokens (HS256, `OPERATOR_JWT_SECRET` shared by the four services): intake's
/// operator directory issues them at login, every service verifies them locally.
public struct OperatorTokens: Sendable {
    /// Why a token was refused; the service answers 401 with the message.
    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    struct Claims: JWTPayload {
        var sub: String
        var roles: [String]
        var iat: Int
        var exp: Int
        /// Keeps workbench tokens (same signing scheme elsewhere) from passing as operator tokens.
        var kind: String

        /// Expiry is checked by `verify(_:now:)`, which can be given the time.
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    static let kind = "operator"
    private let signer: HS256Signer
    public let lifetime: TimeInterval

    public init(secret: String, lifetime: TimeInterval = 900) {
        signer = HS256Signer(secret: secret)
        self.lifetime = lifetime
    }

    public func mint(_ identity: OperatorIdentity, now: Date = Date()) async throws -> (token: String, expires: Date) {
        let expires = now.addingTimeInterval(lifetime)
        let claims = Claims(sub: identity.user, roles: identity.roles.map(\.rawValue).sorted(), iat: Int(now.timeIntervalSince1970),
                            exp: Int(expires.timeIntervalSince1970), kind: Self.kind)
        return (try await signer.sign(claims), expires)
    }

    public func verify(_ token: String, now: Date = Date()) async throws -> OperatorIdentity {
        guard let claims = try? await signer.verify(token, as: Claims.self), claims.kind == Self.kind else {
            throw Invalid(description: "a valid signed operator token is required")
        }
        guard Double(claims.exp) > now.timeIntervalSince1970 else { throw Invalid(description: "the operator token has expired") }
        let roles = Set(claims.roles.compactMap(OperatorRole.init(rawValue:)))
        guard !claims.sub.isEmpty, !roles.isEmpty else { throw Invalid(description: "the operator token names no person or no role") }
        return OperatorIdentity(user: claims.sub, roles: roles)
    }
}
