import Hummingbird
import ReviewWorkflow
import ServiceKit

/// 区域看板: the region's dashboard as three server-drawn SVG charts (`ConsoleCharts`).
extension Console {
    func registerDashboard(on console: RouterGroup<PlatformRequestContext>) {
        console.get("dashboard") { request, _ in
            let session = try await signedIn(request, WorkbenchRole.reviewerPosts, "dashboard.viewed", subject: "dashboard")
            let dashboard = try await workbench.dashboard(by: session.reviewer)
            return try pages.render("dashboard", Self.dashboardPage(dashboard), session: session)
        }
    }

    static func dashboardPage(_ dashboard: RegionDashboard) -> [String: Any] {
        let months = Dictionary(grouping: dashboard.findingsPerMonth, by: \.month).sorted { $0.key < $1.key }.map { month, rows in
            StackedColumn(label: month, parts: Dictionary(rows.map { ($0.pattern, $0.findings) }, uniquingKeysWith: +))
        }
        let waiting = [ItemState.firstPending, .sampling, .secondPending].map { ($0.chineseName, dashboard.itemsWaiting[$0.rawValue] ?? 0) }
        let cases = CaseState.allCases.map { ($0.chineseName, dashboard.casesByState[$0.rawValue] ?? 0) }
        return ["region": dashboard.scope, "charts": [
            ConsoleCharts.stacked(id: "findings-chart", caption: "各违规类型疑点数（按月）Findings per pattern by month", months).template,
            ConsoleCharts.bars(id: "waiting-chart", caption: "待办条目（按环节）Items waiting per level", waiting).template,
            ConsoleCharts.bars(id: "cases-chart", caption: "案件状态 Cases by state", cases).template,
        ]]
    }
}
