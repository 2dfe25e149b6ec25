import Foundation
import Hummingbird
import ReviewWorkflow
import ServiceKit

/// The workbench's HTTP API (Resources/smart-review.yaml): every route verifies the signed token,
/// the post and the region, and leaves an entry in the audit log.
struct WorkbenchRoutes: Sendable {
    let workbench: Workbench

    func register(on router: Router<PlatformRequestContext>) {
        registerItems(on: router)
        registerCases(on: router)
        registerReports(on: router)
        registerLedger(on: router)
        router.get("/api/audit/verify") { request, _ in
            _ = try await workbench.authenticate(request, roles: [.auditor, .admin], action: "audit.verify", subject: "audit_log")
            return try jsonResponse(AuditReport(try await workbench.audit.verify()))
        }
    }

    private func registerItems(on router: Router<PlatformRequestContext>) {
        router.get("/api/workbench/queue") { request, _ in
            let reviewer = try await workbench.authenticate(request, roles: [.firstReviewer, .secondReviewer], action: "queue.list", subject: "queue")
            return try jsonResponse(try await workbench.queue.available(level(of: reviewer), for: reviewer))
        }
        router.get("/api/workbench/items/:id") { request, context in
            let id = try itemID(context)
            let reviewer = try await workbench.authenticate(request, roles: [.firstReviewer, .secondReviewer, .supervisor, .legalReviewer, .institution],
                                                            action: "item.viewed", subject: "item:\(id)")
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: try await workbench.view(id, by: reviewer))))
        }
        router.post("/api/workbench/items/:id/claim") { request, context in
            let id = try itemID(context)
            let reviewer = try await workbench.authenticate(request, roles: [.firstReviewer, .secondReviewer], action: "item.claimed", subject: "item:\(id)")
            return try jsonResponse(try await workbench.claim(id, by: reviewer, level: level(of: reviewer)))
        }
        router.post("/api/workbench/items/:id/decision") { request, context in
            let id = try itemID(context)
            let reviewer = try await workbench.authenticate(request, roles: [.firstReviewer, .secondReviewer], action: "item.decided", subject: "item:\(id)")
            let body = try await decodeBody(DecisionRequest.self, from: request)
            return try jsonResponse(try await workbench.decide(id, body, by: reviewer, level: level(of: reviewer)))
        }
    }

    private func level(of reviewer: Reviewer) -> ReviewLevel { reviewer.role == .secondReviewer ? .second : .first }

    private func itemID(_ context: PlatformRequestContext) throws -> Int64 {
        guard let id = Int64(try context.parameters.require("id")) else { throw HTTPError(.badRequest, message: "item ids are numbers") }
        return id
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
