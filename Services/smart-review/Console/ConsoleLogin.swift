import Foundation
import Hummingbird
import OperatorAccess
import ReviewWorkflow
import ServiceKit

/// The login form's fields.
private struct LoginForm: Decodable {
    var user: String
    var password: String
}

extension Console {
    func registerLogin(on console: RouterGroup<PlatformRequestContext>) {
        console.get("") { request, _ in
            guard let session = await ConsoleSession.of(request, secret: secret) else { return ConsolePages.redirect("/console/login") }
            return ConsolePages.redirect(Self.home(of: session.reviewer.role))
        }
        console.get("login") { request, _ in try await pages.render("login", [:], session: ConsoleSession.of(request, secret: secret)) }
        console.post("login") { request, _ in
            let body = String(buffer: try await request.body.collect(upTo: 16 << 10))
            guard let form = try? URLEncodedFormDecoder().decode(LoginForm.self, from: body), !form.user.isEmpty else {
                return try pages.render("login", ["error": "请输入用户名和密码 (user and password are required)"], session: nil, status: .badRequest)
            }
            let user = String(form.user.prefix(64))
            if case .locked(let until) = throttle.verdict(for: user) {
                try await record("login.refused", user: user, details: ["reason": "locked after repeated failures"])
                return try pages.render("login", ["error": "登录失败次数过多，请于 \(Self.clock(until)) 后再试 (locked after repeated failures)",
                                                  "user": user], session: nil, status: .tooManyRequests)
            }
            let (reviewer, problem) = try await accounts.verify(user, password: form.password)
            try await record(reviewer == nil ? "login.failed" : "login", user: user, details: reviewer == nil ? ["reason": problem] : [:])
            guard let reviewer else {
                if throttle.failed(user) {
                    try await record("login.locked", user: user, details: ["failures": "\(throttle.policy.limit)"])
                }
                return try pages.render("login", ["error": "用户名或密码错误 (wrong user or password)", "user": user], session: nil,
                                        status: .unauthorized)
            }
            throttle.succeeded(user)
            let session = try await ConsoleSession.start(reviewer, secret: secret)
            var response = ConsolePages.redirect(Self.home(of: reviewer.role))
            response.setCookie(session.cookie(secure: secureCookie))
            return response
        }
        console.post("logout") { request, _ in
            var response = ConsolePages.redirect("/console/login")
            if let session = await ConsoleSession.of(request, secret: secret) {
                let body = String(buffer: try await request.body.collect(upTo: 16 << 10))
                guard session.accepts(csrf: Self.csrfField(of: body)) else { throw HTTPError(.forbidden, message: "logout needs this session's CSRF token") }
                try await record("logout", user: session.reviewer.user, details: [:])
            }
            response.setCookie(ConsoleSession.expiredCookie(secure: secureCookie))
            return response
        }
    }

    /// Logins, failed logins and logouts go to the full-process record like every other action.
    private func record(_ action: String, user: String, details: [String: String]) async throws {
        try await workbench.database.transaction { connection in
            _ = try await workbench.audit.append(actor: user, action: action, subject: "reviewer:\(user)", details: details, on: connection)
        }
    }

    /// A lock's end as the login page shows it (China Standard Time, hours and minutes).
    static func clock(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm"
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        return formatter.string(from: date)
    }

    /// Where each post starts its day.
    static func home(of role: WorkbenchRole) -> String {
        switch role {
        case .firstReviewer, .secondReviewer: "/console/queue"
        case .legalReviewer: "/console/legal"
        default: "/console/cases"
        }
    }
}
