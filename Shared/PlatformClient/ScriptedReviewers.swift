import Foundation
import ReviewWorkflow

/// The demo's and the end-to-end tests' reviewers: per region a first-level reviewer, a second-level
/// reviewer, a supervisor and a legal reviewer — four different people, as segregation of duties
/// requires — who work the queue by `ScriptedPolicy`, open one case per institution from its
/// confirmed items, approve the major ones at legal review and publish every case.
public struct ScriptedReviewers: Sendable {
    public struct Report: Sendable {
        /// Decisions per level (1, 2) and verdict.
        public var decided: [Int: [String: Int]] = [:]
        /// Confirmed items still waiting for the second-review draw (state `sampling`).
        public var awaitingSample = 0
        public var casesPublished: [PublishedCase] = []
        public var majorCasesApproved = 0
        /// Refusals and failures, each with the item or case it concerns.
        public var problems: [String] = []
    }

    public let platform: Platform
    public let regions: [String]
    /// At most this many items decided at the first level (the demo stays short).
    public var maxItems: Int
    /// When set, only items of these claims are touched (tests share the broker with other traffic).
    public var onlyClaims: Set<String>?
    /// Items left undecided at the first level per region (the last of its queue), so that a newcomer
    /// signing in to the console of that region finds work to open.
    public var leaveWaiting: [String: Int]

    public init(platform: Platform, regions: [String], maxItems: Int = 200, onlyClaims: Set<String>? = nil, leaveWaiting: [String: Int] = [:]) {
        self.platform = platform
        self.regions = regions
        self.maxItems = maxItems
        self.onlyClaims = onlyClaims
        self.leaveWaiting = leaveWaiting
    }

    public func work() async throws -> Report {
        var report = Report(), budget = maxItems
        for region in regions where budget > 0 {
            let confirmed = try await firstLevel(region, budget: &budget, report: &report)
            try await secondLevel(region, items: Set(confirmed.keys), report: &report)
            try await openCases(region, confirmed: confirmed, report: &report)
        }
        return report
    }

    /// The scripted person of `role` in `region` (their user names are stable, so their acts can be found in the audit log).
    public func person(_ role: WorkbenchRole, _ region: String) async throws -> WorkbenchClient {
        try await WorkbenchClient(platform, user: "scripted-\(role.rawValue)-\(region)", role: role, region: region)
    }

    /// Decides items until the region's queue is empty or the budget is spent; the confirmed ones with their patterns.
    private func firstLevel(_ region: String, budget: inout Int, report: inout Report) async throws -> [Int64: Set<String>] {
        let reviewer = try await person(.firstReviewer, region)
        var confirmed: [Int64: Set<String>] = [:], seen = Set<Int64>()
        while budget > 0 {
            let items = try await reviewer.queue().filter { !seen.contains($0.itemId) && wanted($0) }.dropLast(leaveWaiting[region] ?? 0)
            guard !items.isEmpty else { break }
            for item in items.prefix(budget) {
                seen.insert(item.itemId)
                guard let (verdict, view) = await decide(item, by: reviewer, level: 1, report: &report) else { continue }
                budget -= 1
                if verdict.decision == "confirmed" { confirmed[item.itemId] = Set(view.findings.map(\.pattern)) }
            }
        }
        return confirmed
    }

    /// The second reviewer takes the items of this run the draw or the risk sent to the second level.
    private func secondLevel(_ region: String, items: Set<Int64>, report: inout Report) async throws {
        let reviewer = try await person(.secondReviewer, region)
        var seen = Set<Int64>()
        while true {
            let waiting = try await reviewer.queue().filter { items.contains($0.itemId) && !seen.contains($0.itemId) }
            guard !waiting.isEmpty else { return }
            for item in waiting {
                seen.insert(item.itemId)
                _ = await decide(item, by: reviewer, level: 2, report: &report)
            }
        }
    }

    private func decide(_ item: WorkItem, by reviewer: WorkbenchClient, level: Int, report: inout Report) async -> (Verdict, ItemView)? {
        do {
            let view = try await reviewer.view(item.itemId)
            let verdict = ScriptedPolicy.verdict(on: view)
            try await reviewer.claim(item.itemId)
            _ = try await reviewer.decide(item.itemId, verdict)
            report.decided[level, default: [:]][verdict.decision, default: 0] += 1
            return (verdict, view)
        } catch {
            report.problems.append("item \(item.itemId) level \(level): \(error)")
            return nil
        }
    }

    private func wanted(_ item: WorkItem) -> Bool { onlyClaims.map { $0.contains(item.claimId) } ?? true }
}
