import Foundation
import Hummingbird
import ReviewWorkflow
import HTTPTypes
import Mustache
import ServiceKit

/// The console's Mustache templates (Resources/console/*.mustache), loaded once at start-up.
/// Templates use `{{ }}` only, which HTML-escapes every value; triple braces are never used.
struct ConsolePages: Sendable {
    let library: MustacheLibrary

    init(directory: URL? = Bundle.module.resourceURL?.appendingPathComponent("console")) throws {
        guard let directory else { throw HTTPError(.internalServerError, message: "console templates missing from the build") }
        var library = MustacheLibrary()
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path) where file.hasSuffix(".mustache") {
            try library.register(String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8),
                                 named: String(file.dropLast(".mustache".count)))
        }
        self.library = library
    }

    /// A page as HTML, with headers that keep it out of frames and forbid scripts altogether.
    func render(_ template: String, _ values: [String: Any], session: ConsoleSession?,
                status: HTTPResponse.Status = .ok) throws -> Response {
        var context = values.compactMapValues(Self.withoutNulls)
        if let session {
            context["me"] = ["user": session.reviewer.user, "role": ConsoleWords.role(session.reviewer.role),
                             "admdvs": session.reviewer.admdvs, "csrf": session.csrf] as [String: Any]
        }
        guard let html = library.render(context, withTemplate: template) else {
            throw HTTPError(.internalServerError, message: "no console template \(template)")
        }
        return Response(status: status, headers: [
            .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
            HTTPField.Name("content-security-policy")!: "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
        ], body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// JSON nulls (NSNull) dropped, so a missing value renders empty and its section stays closed.
    static func withoutNulls(_ value: Any) -> Any? {
        switch value {
        case is NSNull: nil
        case let object as [String: Any]: object.compactMapValues(withoutNulls)
        case let list as [Any]: list.compactMap(withoutNulls)
        default: value
        }
    }

    /// Post/Redirect/Get: every form answers with a redirect to the page showing its result.
    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}

/// Turns a console error into a page: an expired or missing session goes back to the login form,
/// anything else shows its status and message (the audit log already holds refusals).
struct ConsoleErrorPages: RouterMiddleware {
    typealias Context = PlatformRequestContext
    let pages: ConsolePages
    let secret: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let caught where caught is HTTPError || caught is WorkbenchError {
            let error = (caught as? WorkbenchError)?.httpError ?? (caught as! HTTPError)
            if error.status == .unauthorized { return ConsolePages.redirect("/console/login") }
            return try pages.render("error", ["status": error.status.code, "reason": error.status.reasonPhrase,
                                              "message": error.body ?? ""],
                                    session: await ConsoleSession.of(request, secret: secret), status: error.status)
        }
    }
}
