import Hummingbird
import ReviewWorkflow
import ServiceKit

extension WorkbenchRoutes {
    /// The region dashboard for every reviewer post (the institution has its file instead); `months` 1-24, default 6.
    func registerDashboard(on router: Router<PlatformRequestContext>) {
        router.get("/api/workbench/dashboard") { request, _ in
            let reviewer = try await workbench.authenticate(request, roles: WorkbenchRole.reviewerPosts, action: "dashboard.viewed", subject: "dashboard")
            let months = try request.uri.queryParameters.get("months").map { text in
                guard let value = Int(text), (1...24).contains(value) else { throw HTTPError(.badRequest, message: "months: 1 to 24") }
                return value
            } ?? 6
            return try jsonResponse(try await workbench.dashboard(by: reviewer, months: months))
        }
    }
}

extension WorkbenchRole {
    /// The reviewers' posts (初审, 复审, 法制审核, 负责人, 审计): not the institution, not the administrator.
    static let reviewerPosts: Set<WorkbenchRole> = [.firstReviewer, .secondReviewer, .legalReviewer, .supervisor, .auditor]
}
