import Crypto
import Foundation
import Hummingbird
import OperatorAccess
import ReviewWorkflow

/// A console login: the same signed `WorkbenchToken` the API takes, kept in an HttpOnly,
/// SameSite=Strict cookie, and the CSRF token of its forms. The CSRF token is an HMAC of the
/// session token, so it changes with every login and needs no server-side store.
struct ConsoleSession: Sendable {
    static let cookieName = "medsup_console"
    /// A working day; the reviewer logs in again after it.
    static let lifetime: TimeInterval = 8 * 3600

    let token: String
    let reviewer: Reviewer
    let csrf: String

    init(token: String, reviewer: Reviewer, secret: String) {
        self.token = token
        self.reviewer = reviewer
        let mac = HMAC<SHA256>.authenticationCode(for: Data("console-csrf|\(token)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        csrf = Data(mac).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The session of the request's cookie; nil when there is none or its token is invalid or expired.
    static func of(_ request: Request, secret: String) async -> ConsoleSession? {
        guard let token = request.cookies[Self.cookieName]?.value,
              let reviewer = try? await WorkbenchToken.verify(token, secret: secret) else { return nil }
        return ConsoleSession(token: token, reviewer: reviewer, secret: secret)
    }

    /// Signs in `reviewer` for a working day.
    static func start(_ reviewer: Reviewer, secret: String) async throws -> ConsoleSession {
        let token = try await WorkbenchToken.mint(user: reviewer.user, role: reviewer.role, admdvs: reviewer.admdvs, medins: reviewer.medinsID,
                                        secret: secret, lifetime: lifetime)
        return ConsoleSession(token: token, reviewer: reviewer, secret: secret)
    }

    /// `secure`: sent back over TLS only (`REVIEW_CONSOLE_SECURE_COOKIE`; off for the plain-http loopback demo).
    func cookie(secure: Bool) -> Cookie {
        Cookie(name: Self.cookieName, value: token, maxAge: Int(Self.lifetime), path: "/console", secure: secure, httpOnly: true, sameSite: .strict)
    }

    static func expiredCookie(secure: Bool) -> Cookie {
        Cookie(name: cookieName, value: "", maxAge: 0, path: "/console", secure: secure, httpOnly: true, sameSite: .strict)
    }

    /// The request as the API would receive it, the cookie's token as its bearer, so the console
    /// goes through `Workbench.authenticate` (post check, refusal record) like every API call.
    func bearerRequest(_ request: Request) -> Request {
        var head = request.head
        head.headerFields[.authorization] = "Bearer \(token)"
        return Request(head: head, body: .init(buffer: ByteBuffer()))
    }

    /// Whether a posted form carries this session's CSRF token (compared in constant time).
    func accepts(csrf candidate: String) -> Bool {
        constantTimeEqual(candidate, csrf)
    }
}
