import Foundation
import PostgresNIO
import ReviewWorkflow

/// What a report may be linked to, and the amount recovered that its linked cases give.
extension Workbench {
    /// Links must name known institutions, stored claims and cases of the reviewer's regions.
    func validate(_ links: ReportLinks, by reviewer: Reviewer, on connection: PostgresConnection) async throws {
        let kb = try reference.knowledgeBase
        if let unknown = links.institutions.first(where: { kb.institutions[$0] == nil }) {
            throw WorkbenchError.invalid("institution_ids: \(unknown) is not a designated institution")
        }
        let claims = try await reports.storedClaims(links.claims, on: connection)
        if let unknown = links.claims.first(where: { !claims.contains($0) }) {
            throw WorkbenchError.invalid("claim_ids: no claim \(unknown)")
        }
        let regions = try await cases.regions(of: links.cases, on: connection)
        for id in links.cases {
            guard let region = regions[id] else { throw WorkbenchError.invalid("case_ids: no case \(id)") }
            try reviewer.requireScope(region)
        }
    }

    /// The amount stated, or else the amounts to recover of the linked published cases (行政处罚决定).
    func recoveredAmount(_ request: ReportDecisionRequest, cases linked: [String], on connection: PostgresConnection) async throws -> Decimal {
        if let stated = request.recoveredAmount { return stated }
        let proposals = try await cases.publishedProposals(linked, on: connection)
        guard !proposals.isEmpty else {
            throw ReportWorkflowError.invalidField("recovered_amount", "is required when no linked case is published")
        }
        return proposals.reduce(Decimal(0)) { $0 + $1.recoverAmount }
    }
}
