import Foundation
import Hummingbird
import PostgresNIO
import ReviewWorkflow

/// What a report may be linked to, and the amount recovered that its linked cases give.
extension Workbench {
    /// Links must name known institutions, stored claims and cases of the reviewer's regions.
    func validate(_ links: ReportLinks, by reviewer: Reviewer, on connection: PostgresConnection) async throws {
        let kb = try reference.knowledgeBase
        if let unknown = links.institutions.first(where: { kb.institutions[$0] == nil }) {
            throw HTTPError(.unprocessableContent, message: "institution_ids: \(unknown) is not a designated institution")
        }
        let claims = try await storedClaims(links.claims, on: connection)
        if let unknown = links.claims.first(where: { !claims.contains($0) }) {
            throw HTTPError(.unprocessableContent, message: "claim_ids: no claim \(unknown)")
        }
        let cases = try await caseRegions(links.cases, on: connection)
        for id in links.cases {
            guard let region = cases[id] else { throw HTTPError(.unprocessableContent, message: "case_ids: no case \(id)") }
            try reviewer.requireScope(region)
        }
    }

    /// The amount stated, or else the amounts to recover of the linked published cases (行政处罚决定).
    func recoveredAmount(_ request: ReportDecisionRequest, cases: [String], on connection: PostgresConnection) async throws -> Decimal {
        if let stated = request.recoveredAmount { return stated }
        let rows = try await connection.query("""
            SELECT proposal::text FROM \(unescaped: schema).cases WHERE case_id = ANY(\(cases)) AND state = 'published'
            """, logger: database.logger)
        var total = Decimal(0), found = 0
        for try await proposal in rows.decode(String.self) {
            total += try JSONDecoder().decode(Proposal.self, from: Data(proposal.utf8)).recoverAmount
            found += 1
        }
        guard found > 0 else {
            throw ReportWorkflowError.invalidField("recovered_amount", "is required when no linked case is published")
        }
        return total
    }

    /// The claims among `ids` that are stored here.
    private func storedClaims(_ ids: [String], on connection: PostgresConnection) async throws -> Set<String> {
        let rows = try await connection.query("""
            SELECT claim_id FROM \(unescaped: schema).claims WHERE claim_id = ANY(\(ids))
            """, logger: database.logger)
        var found = Set<String>()
        for try await id in rows.decode(String.self) { found.insert(id) }
        return found
    }

    /// The cases among `ids`, with their regions.
    private func caseRegions(_ ids: [String], on connection: PostgresConnection) async throws -> [String: String] {
        let rows = try await connection.query("""
            SELECT case_id, admdvs FROM \(unescaped: schema).cases WHERE case_id = ANY(\(ids))
            """, logger: database.logger)
        var found: [String: String] = [:]
        for try await (id, region) in rows.decode((String, String).self) { found[id] = region }
        return found
    }
}
