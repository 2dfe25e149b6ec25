import Foundation
import Hummingbird
import ReviewWorkflow
import ServiceKit

/// The workbench's HTTP API (Resources/smart-review.yaml): every route verifies the signed token,
/// the post and the region, and leaves an entry in the audit log. Each aggregate registers its own
/// routes (Queue/, Cases/, Reports/, Ledgers/); domain errors become HTTP answers here.
struct WorkbenchRoutes: Sendable {
    let workbench: Workbench

    func register(on router: Router<PlatformRequestContext>) {
        router.add(middleware: WorkbenchErrorMiddleware())
        registerItems(on: router)
        registerSamples(on: router)
        registerCases(on: router)
        registerReports(on: router)
        registerLedger(on: router)
        registerDashboard(on: router)
        router.get("/api/audit/verify") { request, _ in
            _ = try await workbench.authenticate(request, roles: [.auditor, .admin], action: "audit.verify", subject: "audit_log")
            return try jsonResponse(AuditReport(try await workbench.audit.verify()))
        }
    }

    /// The caller of a route on one thing named by the path's `id`, authenticated for `action`.
    func caller(_ request: Request, _ context: PlatformRequestContext, _ roles: Set<WorkbenchRole>,
                _ action: String, subject kind: String) async throws -> (Reviewer, String) {
        let id = try context.parameters.require("id")
        return (try await workbench.authenticate(request, roles: roles, action: action, subject: "\(kind):\(id)"), id)
    }

    /// The path's numeric `id` (items, rectifications).
    func number(_ context: PlatformRequestContext) throws -> Int64 {
        guard let id = Int64(try context.parameters.require("id")) else { throw HTTPError(.badRequest, message: "id: must be a number") }
        return id
    }
}

extension Workbench {
    /// The reviewer behind the bearer token, who must hold one of `roles`; a wrong post is refused and recorded.
    func authenticate(_ request: Request, roles: Set<WorkbenchRole>, action: String, subject: String) async throws -> Reviewer {
        let header = request.headers[.authorization] ?? ""
        guard header.hasPrefix("Bearer ") else { throw HTTPError(.unauthorized, message: "a workbench bearer token is required") }
        let reviewer: Reviewer
        do {
            reviewer = try await WorkbenchToken.verify(String(header.dropFirst(7)), secret: secret)
        } catch let invalid as WorkbenchToken.Invalid {
            throw HTTPError(.unauthorized, message: invalid.description)
        }
        guard roles.contains(reviewer.role) else {
            let reason = "\(action) needs the post of \(roles.map(\.rawValue).sorted().joined(separator: " or "))"
            try await audit.recordRefusal(of: action, by: reviewer, subject: subject, reason: reason)
            throw HTTPError(.forbidden, message: reason)
        }
        return reviewer
    }
}

/// Decodes a snake_case JSON body; 400 naming the problem otherwise.
func decodeBody<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
    let body = try await request.body.collect(upTo: 1 << 20)
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    do {
        return try decoder.decode(T.self, from: Data(buffer: body))
    } catch {
        throw HTTPError(.badRequest, message: "the request body does not fit: \(error)")
    }
}

/// The `Idempotency-Key` header of a request that may be sent again: at most 128 printable characters.
func idempotencyKey(_ request: Request) throws -> String? {
    guard let key = request.headers[.init("idempotency-key")!] else { return nil }
    guard (1...128).contains(key.count), key.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
        throw HTTPError(.badRequest, message: "Idempotency-Key must be 1 to 128 printable ASCII characters")
    }
    return key
}

/// `AuditLog.verify`'s answer in the API's words: valid, or the first broken sequence and why.
struct AuditReport: Encodable {
    var valid: Bool
    var count: Int?
    var brokenSequence: UInt64?
    var problem: String?

    init(_ result: VerificationResult) {
        switch result {
        case .valid(let count, _):
            valid = true
            self.count = count
        case .broken(let sequence, let problem):
            valid = false
            brokenSequence = sequence
            self.problem = "\(problem)"
        }
    }
}
