import ReviewWorkflow
import Foundation
import Hummingbird
import ServiceKit

extension WorkbenchRoutes {
    /// Case routes: the supervisor opens, departs, submits and publishes; the legal reviewer approves or refuses.
    func registerCases(on router: Router<PlatformRequestContext>) {
        router.post("/api/workbench/cases") { request, _ in
            let reviewer = try await workbench.authenticate(request, roles: [.supervisor], action: "case.opened", subject: "case")
            return try jsonResponse(try await workbench.openCase(try await decodeBody(OpenCaseRequest.self, from: request), by: reviewer),
                                    status: .created)
        }
        router.get("/api/workbench/cases/:id") { request, context in
            let (reviewer, id) = try await caller(request, context, [.supervisor, .legalReviewer, .auditor], "case.viewed", subject: "case")
            return try jsonResponse(try await workbench.showCase(id, by: reviewer))
        }
        router.post("/api/workbench/cases/:id/departure") { request, context in
            let (reviewer, id) = try await caller(request, context, [.supervisor], "case.departed", subject: "case")
            return try jsonResponse(try await workbench.depart(id, try await decodeBody(DepartureRequest.self, from: request), by: reviewer))
        }
        router.post("/api/workbench/cases/:id/parties") { request, context in
            let (reviewer, id) = try await caller(request, context, [.supervisor], "case.parties_named", subject: "case")
            return try jsonResponse(try await workbench.nameParties(id, try await decodeBody(PartiesRequest.self, from: request), by: reviewer))
        }
        router.post("/api/workbench/cases/:id/circumstances") { request, context in
            let (reviewer, id) = try await caller(request, context, [.supervisor], "case.circumstances", subject: "case")
            return try jsonResponse(try await workbench.recordCircumstances(id, try await decodeBody(CircumstancesRequest.self, from: request), by: reviewer))
        }
        router.post("/api/workbench/cases/:id/submit") { request, context in
            let (reviewer, id) = try await caller(request, context, [.supervisor], "case.submitted", subject: "case")
            return try jsonResponse(try await workbench.submit(id, by: reviewer))
        }
        router.post("/api/workbench/cases/:id/legal-review") { request, context in
            let (reviewer, id) = try await caller(request, context, [.legalReviewer], "case.legal_review", subject: "case")
            return try jsonResponse(try await workbench.legalReview(id, try await decodeBody(LegalReviewRequest.self, from: request), by: reviewer))
        }
        router.post("/api/workbench/cases/:id/publish") { request, context in
            let (reviewer, id) = try await caller(request, context, [.supervisor], "case.published", subject: "case")
            return try jsonResponse(try await workbench.publish(id, by: reviewer))
        }
    }
}
