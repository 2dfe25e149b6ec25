import Foundation
import Persistence
import PostgresNIO
import ReviewWorkflow

/// A region's dashboard (区域看板): findings per pattern per China-time month, the items waiting at
/// each step of the queue and the cases in each state, all within the reviewer's scope.
struct RegionDashboard: Codable, Sendable, Equatable {
    struct MonthPattern: Codable, Sendable, Equatable {
        var month: String
        var pattern: String
        var findings: Int
    }

    var scope: String
    var findingsPerMonth: [MonthPattern]
    var itemsWaiting: [String: Int]
    var casesByState: [String: Int]
}

/// The dashboard's counts; it reads the queue's, the findings' and the cases' tables and changes none.
struct DashboardStore: Sendable {
    let database: Database
    var schema: String { database.schema }

    /// Standing findings (not withdrawn) of the last `months` months, per month and pattern.
    func findingsPerMonth(scope: String, months: Int, on connection: PostgresConnection) async throws -> [RegionDashboard.MonthPattern] {
        let rows = try await connection.query("""
            SELECT to_char(f.found_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM'), f.pattern, count(*)::int
            FROM \(unescaped: schema).findings f JOIN \(unescaped: schema).review_items i ON i.claim_id = f.claim_id
            WHERE i.admdvs LIKE \(scope) AND f.withdrawn_at IS NULL
              AND f.found_at AT TIME ZONE 'Asia/Shanghai'
                  >= date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai') - make_interval(months => \(months - 1)::int)
            GROUP BY 1, 2 ORDER BY 1, 2
            """, logger: database.logger)
        var found: [RegionDashboard.MonthPattern] = []
        for try await (month, pattern, count) in rows.decode((String, String, Int).self) {
            found.append(.init(month: month, pattern: pattern, findings: count))
        }
        return found
    }

    /// Items per queue state still waiting for someone (初审, 抽样, 复审).
    func itemsWaiting(scope: String, on connection: PostgresConnection) async throws -> [String: Int] {
        let waiting = [ItemState.firstPending, .sampling, .secondPending].map(\.rawValue)
        return try await counts(try await connection.query("""
            SELECT state, count(*)::int FROM \(unescaped: schema).review_items WHERE admdvs LIKE \(scope) AND state = ANY(\(waiting)) GROUP BY state
            """, logger: database.logger))
    }

    func casesByState(scope: String, on connection: PostgresConnection) async throws -> [String: Int] {
        try await counts(try await connection.query("""
            SELECT state, count(*)::int FROM \(unescaped: schema).cases WHERE admdvs LIKE \(scope) GROUP BY state
            """, logger: database.logger))
    }

    private func counts(_ rows: PostgresRowSequence) async throws -> [String: Int] {
        var found: [String: Int] = [:]
        for try await (state, count) in rows.decode((String, Int).self) { found[state] = count }
        return found
    }
}

extension Workbench {
    var dashboards: DashboardStore { DashboardStore(database: database) }

    /// The dashboard of the reviewer's region; viewing it is recorded like viewing a case.
    func dashboard(by reviewer: Reviewer, months: Int = 6) async throws -> RegionDashboard {
        try await perform(reviewer, "dashboard.viewed", subject: "region:\(reviewer.admdvs)") { connection in
            let scope = reviewer.scopePattern
            let dashboard = RegionDashboard(scope: String(reviewer.scope),
                                            findingsPerMonth: try await dashboards.findingsPerMonth(scope: scope, months: months, on: connection),
                                            itemsWaiting: try await dashboards.itemsWaiting(scope: scope, on: connection),
                                            casesByState: try await dashboards.casesByState(scope: scope, on: connection))
            return (dashboard, ["months": "\(months)"])
        }
    }
}
