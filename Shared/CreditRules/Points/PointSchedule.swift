/// The national point schedule (医保发〔2024〕23号, 记分标准) by conduct: each conduct of a named
/// practitioner falls in one band, and the value within the band follows the gravity of the facts.
/// A practitioner named for several conducts in one case is scored once, by the heaviest, never the
/// sum (同一违法违规行为涉及多种情形的，按最高分值记分), and never above `perCaseCap`.
///
/// Conducts are named by the workbench's behaviour codes (`ReviewWorkflow.ViolationKind` raw values),
/// so the schedule is data: a bureau can publish another table without a release.
public struct PointSchedule: Sendable, Codable, Equatable {
    /// The band of each conduct; a conduct not listed is scored in `defaultBand`.
    public var bands: [String: PointBand]
    public var defaultBand: PointBand
    /// The most points one case can cost one practitioner.
    public var perCaseCap: Int

    public init(bands: [String: PointBand], defaultBand: PointBand = .agreementHandling, perCaseCap: Int = 12) {
        self.bands = bands
        self.defaultBand = defaultBand
        self.perCaseCap = perCaseCap
    }

    /// The points of one practitioner in one case: the heaviest conduct's band, lowered or raised
    /// within it by `weight`, capped. Nil when no conduct is named: then the person is not scored.
    public func points(for conducts: [String], weight: HandlingWeight = .ordinary) -> Int? {
        guard let band = conducts.map({ bands[$0] ?? defaultBand }).max() else { return nil }
        return min(perCaseCap, band.points.lowerBound + weight.rawValue)
    }

    /// The schedule as this project reads 医保发〔2024〕23号: management failures 1-3; irregular charging
    /// and unnecessary services 4-6; split or bed-only admissions, out-of-scope settlement and helping
    /// resale 7-9; fraud (inducing false treatment, forging records, fabricating services) 10-12.
    public static let national = PointSchedule(bands: [
        "noInternalManagement": .agreementHandling, "recordsNotKept": .agreementHandling, "dataNotTransmitted": .agreementHandling,
        "informationNotReported": .agreementHandling, "informationNotDisclosed": .agreementHandling,
        "outOfScopeWithoutConsent": .fined, "obstructingInspection": .fined,
        "overTreatment": .fined, "duplicateCharging": .fined, "overStandardCharging": .fined, "splitItemCharging": .fined,
        "itemSwitching": .fined, "otherFundLoss": .fined,
        "splitAdmission": .aggravated, "bedOnlyAdmission": .aggravated, "outOfScopeSettlement": .aggravated,
        "facilitatingResale": .aggravated,
        "inducingFalseTreatment": .fraud, "forgingRecords": .fraud, "fabricatedServices": .fraud, "otherFraud": .fraud,
    ])
}
