import CreditRules
import XCTest

/// 年度检查计划: every institution, filled by draws and sourced cases, coverage inspected / total per region.
final class AnnualPlanningTests: XCTestCase {
    let directory = ["H1": "430100", "H2": "430100", "H3": "430100", "H4": "430200"]

    func testDrawsWithResultsAndSourcedCasesCountAsInspected() {
        let plan = AnnualPlanning.plan(year: 2026, institutions: directory,
                                       draws: [DrawnTarget(planId: "P1", fixmedinsCode: "H1", resultRecorded: true),
                                               DrawnTarget(planId: "P1", fixmedinsCode: "H2", resultRecorded: false),
                                               DrawnTarget(planId: "P1", fixmedinsCode: "H9", resultRecorded: true)],
                                       cases: [SourcedCase(caseId: "C1", fixmedinsCode: "H4", source: "superiorLead"),
                                               SourcedCase(caseId: "C2", fixmedinsCode: "H3", source: "claimReview")])
        XCTAssertEqual(plan.entries.map(\.fixmedinsCode), ["H1", "H2", "H3", "H4"], "the directory's institutions, no stray draw")
        XCTAssertEqual(plan.entries.map(\.inspected), [true, false, false, true])
        XCTAssertEqual(plan.entries[3].sources, [PlanSource(kind: "superiorLead", reference: "C1")])
        XCTAssertEqual(plan.entries[2].sources, [], "a claim-review case brings no one on site")
        XCTAssertEqual(plan.coverage, [RegionCoverage(admdvs: "430100", institutions: 3, inspected: 1, ratio: 1.0 / 3),
                                       RegionCoverage(admdvs: "430200", institutions: 1, inspected: 1, ratio: 1)])
    }

    func testAnEmptyDirectoryHasNoCoverage() {
        XCTAssertEqual(AnnualPlanning.plan(year: 2026, institutions: [:], draws: [], cases: []).coverage, [])
    }
}
