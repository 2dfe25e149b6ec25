import Foundation
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
            throw WorkbenchError.invalid("period: \(period) is not a yyyy-MM month")
        }
        return try await perform(reviewer, "problem_list.published", subject: "problem_list:\(reviewer.admdvs):\(period)") { connection in
            let problems = ProblemList.compile(try await ledgers.confirmedProblems(from: month.start, to: month.end, in: reviewer, on: connection))
            let list = try await ledgers.publishProblemList(problems, period: period, by: reviewer, on: connection)
            return (list, ["version": "\(list.version)", "problems": problems.map(\.ruleId).joined(separator: ",")])
        }
    }

    /// The published lists that concern the caller, newest first: for an institution those of the regions
    /// above or at its own; for the bureau's posts also those of the regions under theirs.
    func problemLists(period: String?, for reviewer: Reviewer) async throws -> [PublishedProblemList] {
        try await perform(reviewer, "problem_list.read", subject: "problem_list:\(period ?? "all")") { connection in
            let lists = try await ledgers.problemLists(period: period, on: connection).filter { list in
                let publisher = Reviewer(user: list.publishedBy, role: .supervisor, admdvs: list.admdvs)
                return publisher.covers(reviewer.admdvs) || (reviewer.role != .institution && reviewer.covers(list.admdvs))
            }
            return (lists, ["lists": "\(lists.count)"])
        }
    }
}
