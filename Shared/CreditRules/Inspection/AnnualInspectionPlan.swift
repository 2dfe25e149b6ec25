/// One way an institution enters the year's inspection plan: a double-random draw (`randomDraw`, the
/// reference is the draw's plan id) or the source of a case opened on it that year (an inspection,
/// a lead or a report, as smart-review names it on `review.outcomes`; the reference is the case id).
public struct PlanSource: Sendable, Codable, Equatable {
    public static let randomDraw = "randomDraw"

    public var kind: String
    public var reference: String

    public init(kind: String, reference: String) {
        self.kind = kind
        self.reference = reference
    }
}

/// A designated institution in the year's plan with everything that brought it there.
public struct AnnualPlanEntry: Sendable, Codable, Equatable {
    public var fixmedinsCode: String
    public var admdvs: String
    public var sources: [PlanSource]
    /// Inspected this year: a drawn institution whose result was recorded, or one a case was opened on
    /// from outside the claims (the case's evidence was gathered there: 检查、核查).
    public var inspected: Bool
}

/// Inspected institutions over all designated institutions of a region (检查覆盖率).
public struct RegionCoverage: Sendable, Codable, Equatable {
    public var admdvs: String
    public var institutions: Int
    public var inspected: Int
    /// inspected / institutions, 0 for a region without institutions.
    public var ratio: Double

    public init(admdvs: String, institutions: Int, inspected: Int, ratio: Double) {
        (self.admdvs, self.institutions, self.inspected, self.ratio) = (admdvs, institutions, inspected, ratio)
    }
}

/// The annual inspection plan (年度检查计划): every designated institution of the regions, each with
/// the draws and the other sources that filled the plan, and the coverage per region.
public struct AnnualInspectionPlan: Sendable, Codable, Equatable {
    public var year: Int
    public var entries: [AnnualPlanEntry]
    public var coverage: [RegionCoverage]
}

/// What the year's draws and cases say about one institution.
public struct DrawnTarget: Sendable, Equatable {
    public var planId: String
    public var fixmedinsCode: String
    public var resultRecorded: Bool

    public init(planId: String, fixmedinsCode: String, resultRecorded: Bool) {
        self.planId = planId
        self.fixmedinsCode = fixmedinsCode
        self.resultRecorded = resultRecorded
    }
}

public struct SourcedCase: Sendable, Equatable {
    public var caseId: String
    public var fixmedinsCode: String
    /// The case's source kind; `claimReview` cases do not enter the plan (no one went there).
    public var source: String

    public init(caseId: String, fixmedinsCode: String, source: String) {
        self.caseId = caseId
        self.fixmedinsCode = fixmedinsCode
        self.source = source
    }
}

public enum AnnualPlanning {
    /// The plan of `year` over `institutions` (code → region). Draws and cases of institutions outside
    /// them are left out: the plan is the directory's.
    public static func plan(year: Int, institutions: [String: String], draws: [DrawnTarget], cases: [SourcedCase]) -> AnnualInspectionPlan {
        let sourced = cases.filter { $0.source != "claimReview" }
        let entries = institutions.keys.sorted().map { code in
            let drawn = draws.filter { $0.fixmedinsCode == code }
            let opened = sourced.filter { $0.fixmedinsCode == code }
            return AnnualPlanEntry(fixmedinsCode: code, admdvs: institutions[code] ?? "",
                                   sources: drawn.map { PlanSource(kind: PlanSource.randomDraw, reference: $0.planId) }
                                       + opened.map { PlanSource(kind: $0.source, reference: $0.caseId) },
                                   inspected: drawn.contains(where: \.resultRecorded) || !opened.isEmpty)
        }
        return AnnualInspectionPlan(year: year, entries: entries, coverage: coverage(of: entries))
    }

    static func coverage(of entries: [AnnualPlanEntry]) -> [RegionCoverage] {
        Dictionary(grouping: entries, by: \.admdvs).keys.sorted().map { region in
            let inRegion = entries.filter { $0.admdvs == region }
            let inspected = inRegion.filter(\.inspected).count
            return RegionCoverage(admdvs: region, institutions: inRegion.count, inspected: inspected,
                                  ratio: inRegion.isEmpty ? 0 : Double(inspected) / Double(inRegion.count))
        }
    }
}
