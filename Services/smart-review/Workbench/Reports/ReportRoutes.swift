import Foundation
import Hummingbird
import ReviewWorkflow
import ServiceKit

extension WorkbenchRoutes {
    /// Whistle-blower reports (举报线索): supervisors assign, decide and pay; the assigned reviewer
    /// links; everyone on the workbench reads those of their regions. Nobody here sees the reporter.
    func registerReports(on router: Router<PlatformRequestContext>) {
        let readers: Set<WorkbenchRole> = [.firstReviewer, .secondReviewer, .supervisor, .legalReviewer, .auditor]
        router.get("/api/workbench/reports") { request, _ in
            let reviewer = try await workbench.authenticate(request, roles: readers, action: "report.listed", subject: "reports")
            let state = try request.uri.queryParameters.get("state").map { value in
                guard let state = ReportState(rawValue: value) else { throw HTTPError(.badRequest, message: "state: \(value) is not a report state") }
                return state
            }
            return try jsonResponse(try await workbench.listReports(by: reviewer, state: state))
        }
        router.get("/api/workbench/reports/:id") { request, context in
            let (reviewer, id) = try await caller(request, context, readers, "report.viewed", subject: "report")
            return try jsonResponse(try await workbench.viewReport(id, by: reviewer))
        }
        router.post("/api/workbench/reports/:id/assign") { request, context in
            let (reviewer, id) = try await caller(request, context, [.supervisor], "report.assigned", subject: "report")
            return try jsonResponse(try await workbench.assignReport(id, try await decodeBody(AssignReportRequest.self, from: request), by: reviewer))
        }
        router.post("/api/workbench/reports/:id/links") { request, context in
            let (reviewer, id) = try await caller(request, context, [.firstReviewer, .secondReviewer, .supervisor], "report.linked", subject: "report")
            return try jsonResponse(try await workbench.linkReport(id, try await decodeBody(LinkReportRequest.self, from: request), by: reviewer))
        }
        router.post("/api/workbench/reports/:id/decision") { request, context in
            let (reviewer, id) = try await caller(request, context, [.supervisor], "report.decided", subject: "report")
            return try jsonResponse(try await workbench.decideReport(id, try await decodeBody(ReportDecisionRequest.self, from: request), by: reviewer))
        }
        router.post("/api/workbench/reports/:id/payment") { request, context in
            let (reviewer, id) = try await caller(request, context, [.supervisor], "report.paid", subject: "report")
            return try jsonResponse(try await workbench.payReport(id, try await decodeBody(ReportPaymentRequest.self, from: request), by: reviewer))
        }
    }
}
