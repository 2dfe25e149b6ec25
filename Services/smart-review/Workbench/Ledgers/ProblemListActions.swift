import Foundation
import Hummingbird
import PostgresNIO
import ReviewWorkflow

struct ProblemListRequest: Decodable, Sendable {
    /// The month of the list, yyyy-MM.
    var period: String
}

/// A published negative problem list (负面问题清单) of one region and month, in its version.
struct PublishedProblemList: Codable, Sendable {
    var admdvs: String
    var period: String
    var version: Int
    var problems: [TypicalProblem]
    var publishedBy: String
    var publishedAt: Date
}

extension Workbench {
    /// Compiles the typical problems confirmed in the supervisor's region during the month and publishes
    /// them as the next version of that month's list, so institutions can inspect themselves.
    func publishProblemList(_ period: String, by reviewer: Reviewer) async throws -> PublishedProblemList {
        guard let month = LedgerCalendar.month(period) else {
            throw HTTPError(.unprocessableContent, message: "period: \(period) is not a yyyy-MM month")
        }
        return try await perform(reviewer, "problem_list.published", subject: "problem_list:\(reviewer.admdvs):\(period)") { connection in
            let problems = ProblemList.compile(try await confirmedProblems(from: month.start, to: month.end, in: reviewer, on: connection))
            // The lock serialises versions of concurrent publications instead of failing one on the key.
            let json = try jsonText(problems)
            try await connection.query("LOCK TABLE \(unescaped: schema).problem_lists IN SHARE ROW EXCLUSIVE MODE", logger: database.logger)
            let rows = try await connection.query("""
                INSERT INTO \(unescaped: schema).problem_lists (admdvs, period, version, problems, published_by)
                SELECT \(reviewer.admdvs), \(period), COALESCE(max(version), 0) + 1, \(json)::jsonb, \(reviewer.user)
                FROM \(unescaped: schema).problem_lists WHERE admdvs = \(reviewer.admdvs) AND period = \(period)
                RETURNING version, published_at
                """, logger: database.logger)
            for try await (version, at) in rows.decode((Int, Date).self) {
                let list = PublishedProblemList(admdvs: reviewer.admdvs, period: period, version: version, problems: problems,
                                                publishedBy: reviewer.user, publishedAt: at)
                return (list, ["version": "\(version)", "problems": problems.map(\.ruleId).joined(separator: ",")])
            }
            throw HTTPError(.internalServerError, message: "the problem list was not stored")
        }
    }

    /// The published lists that concern the caller, newest first: for an institution those of the regions
    /// above or at its own; for the bureau's posts also those of the regions under theirs.
    func problemLists(period: String?, for reviewer: Reviewer) async throws -> [PublishedProblemList] {
        try await perform(reviewer, "problem_list.read", subject: "problem_list:\(period ?? "all")") { connection in
            let rows = try await connection.query("""
                SELECT admdvs, period, version, problems::text, published_by, published_at FROM \(unescaped: schema).problem_lists
                WHERE \(period)::text IS NULL OR period = \(period) ORDER BY period DESC, admdvs, version DESC
                """, logger: database.logger)
            var lists: [PublishedProblemList] = []
            for try await (region, period, version, problems, by, at) in rows.decode((String, String, Int, String, String, Date).self) {
                let publisher = Reviewer(user: by, role: .supervisor, admdvs: region)
                guard publisher.covers(reviewer.admdvs) || (reviewer.role != .institution && reviewer.covers(region)) else { continue }
                let decoded = try JSONDecoder().decode([TypicalProblem].self, from: Data(problems.utf8))
                lists.append(PublishedProblemList(admdvs: region, period: period, version: version, problems: decoded, publishedBy: by, publishedAt: at))
            }
            return (lists, ["lists": "\(lists.count)"])
        }
    }

    /// Each finding on an item whose final decision confirmed it during [start, end), in the reviewer's region.
    private func confirmedProblems(from start: Date, to end: Date, in reviewer: Reviewer,
                                   on connection: PostgresConnection) async throws -> [ConfirmedProblem] {
        let rows = try await connection.query("""
            SELECT f.rule_id, COALESCE(f.body->>'rule_name', f.rule_id), i.medins_id, i.claim_id, f.amount::text
            FROM \(unescaped: schema).review_items i
            JOIN LATERAL (SELECT decision, decided_at FROM \(unescaped: schema).review_decisions x WHERE x.item_id = i.item_id
                          ORDER BY level DESC LIMIT 1) d ON true
            JOIN \(unescaped: schema).findings f ON f.claim_id = i.claim_id
            WHERE i.state = 'decided' AND d.decision = 'confirmed' AND d.decided_at >= \(start) AND d.decided_at < \(end)
              AND i.admdvs LIKE \(reviewer.scopePattern)
            """, logger: database.logger)
        var problems: [ConfirmedProblem] = []
        for try await (rule, title, medins, claim, amount) in rows.decode((String, String, String, String, String).self) {
            problems.append(ConfirmedProblem(ruleID: rule, title: title, institutionID: medins, claimID: claim, amount: Decimal(string: amount) ?? 0))
        }
        return problems
    }
}
