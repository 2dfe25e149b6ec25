import CreditRules
import Foundation
import PostgresNIO

/// The annual inspection plan (年度检查计划) of one China-time year: every designated institution of the
/// reference directory (of the regions asked), filled by that year's double-random draws and by the cases
/// smart-review opened from inspections, leads and reports (`source` on `review.outcomes`), with the
/// coverage per region. Read from what credit already keeps: the draws' plans and results and the cases.
extension InspectionPlans {
    func annual(_ year: Int, regions: Set<String>?) async throws -> AnnualInspectionPlan {
        let institutions = try reference.knowledgeBase.institutions.values
            .filter { regions?.contains($0.admdvs) ?? true }
            .reduce(into: [String: String]()) { $0[$1.code] = $1.admdvs }
        return AnnualPlanning.plan(year: year, institutions: institutions, draws: try await draws(in: year),
                                   cases: try await sourcedCases(in: year))
    }

    private func draws(in year: Int) async throws -> [DrawnTarget] {
        let rows = try await database.query("""
            SELECT plan_id, plan::text, results::text FROM \(unescaped: database.schema).inspection_plans
            WHERE EXTRACT(YEAR FROM created_at AT TIME ZONE 'Asia/Shanghai') = \(year) ORDER BY plan_id
            """, logger: database.logger)
        var targets: [DrawnTarget] = []
        for try await (planId, plan, results) in rows.decode((String, String, String?).self) {
            let recorded = Set(try results.map { try Stored.decode([InspectionResult].self, $0) }?.map(\.fixmedinsCode) ?? [])
            targets += try Stored.decode(InspectionPlan.self, plan).assignments.map {
                DrawnTarget(planId: planId, fixmedinsCode: $0.fixmedinsCode, resultRecorded: recorded.contains($0.fixmedinsCode))
            }
        }
        return targets
    }

    /// The year's decided cases that name their source (events from before sources name none).
    private func sourcedCases(in year: Int) async throws -> [SourcedCase] {
        let rows = try await database.query("""
            SELECT case_id, institution_id, payload->>'source' FROM \(unescaped: database.schema).cases
            WHERE decided_on LIKE \("\(year)-%") AND payload->>'source' IS NOT NULL ORDER BY case_id
            """, logger: database.logger)
        var cases: [SourcedCase] = []
        for try await (id, institution, source) in rows.decode((String, String, String).self) {
            cases.append(SourcedCase(caseId: id, fixmedinsCode: institution, source: source))
        }
        return cases
    }
}
