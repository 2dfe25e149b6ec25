import Foundation
import Hummingbird
import ReviewWorkflow
import ServiceKit

extension WorkbenchRoutes {
    /// The institution side and the ledgers: answers and refunds (申辩, 主动退回), the institution file
    /// (一院一档), the problem list (问题清单) and the clear-to-zero ledger (清零台账).
    func registerLedger(on router: Router<PlatformRequestContext>) {
        router.post("/api/workbench/items/:id/answers") { request, context in
            let id = try number(context)
            let reviewer = try await workbench.authenticate(request, roles: [.institution], action: "item.answered", subject: "item:\(id)")
            let answer = try await decodeBody(AnswerRequest.self, from: request).validated()
            return try jsonResponse(try await workbench.answerItem(id, answer, key: idempotencyKey(request), by: reviewer), status: .created)
        }
        router.post("/api/workbench/cases/:id/answers") { request, context in
            let id = try context.parameters.require("id")
            let reviewer = try await workbench.authenticate(request, roles: [.institution], action: "case.answered", subject: "case:\(id)")
            let answer = try await decodeBody(AnswerRequest.self, from: request).validated()
            return try jsonResponse(try await workbench.answerCase(id, answer, key: idempotencyKey(request), by: reviewer), status: .created)
        }
        router.get("/api/workbench/institutions/:medins/file") { request, context in
            let medins = try context.parameters.require("medins")
            let reviewer = try await workbench.authenticate(request, roles: [.supervisor, .auditor, .institution],
                                                            action: "institution.file_viewed", subject: "institution:\(medins)")
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: try await workbench.institutionFile(medins, by: reviewer))))
        }
        registerProblemLists(on: router)
        registerRectifications(on: router)
    }

    private func registerProblemLists(on router: Router<PlatformRequestContext>) {
        router.post("/api/workbench/problem-lists") { request, _ in
            let reviewer = try await workbench.authenticate(request, roles: [.supervisor], action: "problem_list.published", subject: "problem_list")
            let body = try await decodeBody(ProblemListRequest.self, from: request)
            return try jsonResponse(try await workbench.publishProblemList(body.period, by: reviewer), status: .created)
        }
        router.get("/api/workbench/problem-lists") { request, _ in
            let reviewer = try await workbench.authenticate(request, roles: [.supervisor, .auditor, .institution], action: "problem_list.read",
                                                            subject: "problem_list")
            return try jsonResponse(try await workbench.problemLists(period: request.uri.queryParameters.get("period"), for: reviewer))
        }
    }

    private func registerRectifications(on router: Router<PlatformRequestContext>) {
        router.post("/api/workbench/cases/:id/rectifications") { request, context in
            let id = try context.parameters.require("id")
            let reviewer = try await workbench.authenticate(request, roles: [.supervisor], action: "rectification.ordered", subject: "case:\(id)")
            let order = try await decodeBody(RectificationOrder.self, from: request)
            return try jsonResponse(try await workbench.orderRectifications(id, order, by: reviewer), status: .created)
        }
        router.get("/api/workbench/rectifications") { request, _ in
            let reviewer = try await workbench.authenticate(request, roles: [.supervisor, .auditor, .institution], action: "rectification.listed",
                                                            subject: "rectifications")
            let query = request.uri.queryParameters
            let filter = RectificationFilter(caseID: query.get("case_id"), medins: query.get("medins_id"), overdueOnly: query.get("overdue") == "true")
            return try jsonResponse(try await workbench.rectificationLedger(filter, by: reviewer))
        }
        router.post("/api/workbench/rectifications/:id/report") { request, context in
            let id = try number(context)
            let reviewer = try await workbench.authenticate(request, roles: [.institution], action: "rectification.reported", subject: "rectification:\(id)")
            let report = try await decodeBody(RectificationReport.self, from: request)
            return try jsonResponse(try await workbench.reportRectification(id, report, by: reviewer))
        }
        router.post("/api/workbench/rectifications/:id/review") { request, context in
            let id = try number(context)
            let reviewer = try await workbench.authenticate(request, roles: [.supervisor], action: "rectification.reviewed", subject: "rectification:\(id)")
            let review = try await decodeBody(RectificationReview.self, from: request)
            return try jsonResponse(try await workbench.reviewRectification(id, review, by: reviewer))
        }
    }
}
