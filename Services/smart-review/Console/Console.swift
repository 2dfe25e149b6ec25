import Foundation
import Hummingbird
import OperatorAccess
import ReviewWorkflow
import ServiceKit

/// The reviewers' web console (审核工作台页面) under /console: server-rendered pages whose every
/// action calls the same `Workbench` functions as the API, so each lands in the audit log and no
/// rule has a second implementation here.
struct Console: Sendable {
    let workbench: Workbench
    let accounts: ReviewerAccounts
    let pages: ConsolePages
    let operators: OperatorGate
    /// Whether the session cookie carries `Secure` (`REVIEW_CONSOLE_SECURE_COOKIE`).
    let secureCookie: Bool
    /// Failed logins per user name: five within 15 minutes lock the name for 15 minutes.
    let throttle = LoginThrottle()
    var secret: String { workbench.secret }

    init(workbench: Workbench, operators: OperatorGate, secureCookie: Bool) throws {
        self.workbench = workbench
        self.operators = operators
        self.secureCookie = secureCookie
        accounts = ReviewerAccounts(workbench: workbench)
        pages = try ConsolePages()
    }

    func register(on router: Router<PlatformRequestContext>) {
        router.put("/api/admin/reviewers/:user") { request, context in
            let person = try await operators.require(request, [.platformAdministrator])
            let body = try await decodeBody(AccountRequest.self, from: request)
            let account = try await accounts.set(try context.parameters.require("user"), body, by: person)
            return try jsonResponse(["user": account.user, "role": account.role.rawValue, "admdvs": account.admdvs])
        }
        let console = router.group("/console").add(middleware: ConsoleErrorPages(pages: pages, secret: secret))
        registerLogin(on: console)
        registerItems(on: console)
        registerCases(on: console)
        registerLists(on: console)
        registerDashboard(on: console)
    }

    /// The signed-in reviewer, who must hold one of `roles` (a wrong post is refused and recorded
    /// by `Workbench.authenticate`); no session answers 401, which the error pages turn into the login form.
    func signedIn(_ request: Request, _ roles: Set<WorkbenchRole>, _ action: String, subject: String) async throws -> ConsoleSession {
        guard let session = await ConsoleSession.of(request, secret: secret) else { throw HTTPError(.unauthorized, message: "please log in") }
        _ = try await workbench.authenticate(session.bearerRequest(request), roles: roles, action: action, subject: subject)
        return session
    }

    /// A posted form of the signed-in reviewer: the CSRF field is checked before anything else is read
    /// from it, and a mismatch is refused and recorded.
    func posted<T: Decodable>(_ type: T.Type, _ request: Request, _ roles: Set<WorkbenchRole>, _ action: String,
                            subject: String) async throws -> (ConsoleSession, T) {
        let session = try await signedIn(request, roles, action, subject: subject)
        let body = String(buffer: try await request.body.collect(upTo: 64 << 10))
        guard session.accepts(csrf: Self.csrfField(of: body)) else {
            try await workbench.audit.recordRefusal(of: action, by: session.reviewer, subject: subject, reason: "form without this session's CSRF token")
            throw HTTPError(.forbidden, message: "the form's CSRF token does not match this session: reload the page and try again")
        }
        do {
            return (session, try URLEncodedFormDecoder().decode(T.self, from: body))
        } catch {
            throw HTTPError(.badRequest, message: "the form does not fit: \(error)")
        }
    }

    /// The `csrf` field of a url-encoded form body, read before (and apart from) the form's own fields.
    static func csrfField(of body: String) -> String {
        let pair = body.split(separator: "&").first { $0.hasPrefix("csrf=") }?.dropFirst(5) ?? ""
        return String(pair).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
    }

    func level(of reviewer: Reviewer) -> ReviewLevel { reviewer.role == .secondReviewer ? .second : .first }
}
