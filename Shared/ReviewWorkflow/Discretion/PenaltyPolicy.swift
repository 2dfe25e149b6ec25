import Foundation

/// The bureau's penalty policy as one versioned document: the discretion benchmark (裁量基准) and the
/// thresholds of major decisions that need legal review (重大执法决定法制审核). A bureau changes it by
/// notice, so it is data: stored by version, loaded at start-up, replaced through the operator API, and
/// every case records the version its proposal and its legal gate used.
public struct PenaltyPolicy: Codable, Sendable, Equatable {
    public var version: Int
    public var discretion: DiscretionPolicy
    public var majorDecisions: MajorDecisionPolicy
    /// 免罚轻罚清单; versions stored before it was data decode with the standard list they were applied with.
    public var lenientList: LenientList

    public init(version: Int, discretion: DiscretionPolicy = .standard, majorDecisions: MajorDecisionPolicy = .standard,
                lenientList: LenientList = .standard) {
        self.version = version
        self.discretion = discretion
        self.majorDecisions = majorDecisions
        self.lenientList = lenientList
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(version: try container.decode(Int.self, forKey: .version),
                  discretion: try container.decode(DiscretionPolicy.self, forKey: .discretion),
                  majorDecisions: try container.decode(MajorDecisionPolicy.self, forKey: .majorDecisions),
                  lenientList: try container.decodeIfPresent(LenientList.self, forKey: .lenientList) ?? .standard)
    }

    /// Version 1: the benchmark and thresholds this project shipped with.
    public static let defaults = PenaltyPolicy(version: 1)

    public var calculator: PenaltyDiscretion { PenaltyDiscretion(policy: discretion, majorDecisions: majorDecisions, lenientList: lenientList) }

    /// What makes the document unusable, each naming the field; empty when it can be used.
    public var problems: [String] {
        let d = discretion
        let unit: ClosedRange<Decimal> = 0...1
        var found: [String] = []
        if version < 1 { found.append("version: must be 1 or more") }
        for (name, value) in [("minor_position", d.minorPosition), ("general_position", d.generalPosition), ("serious_position", d.seriousPosition),
                              ("repeat_step", d.repeatStep), ("voluntary_refund_step", d.voluntaryRefundStep), ("self_report_step", d.selfReportStep)]
            where !unit.contains(value) {
            found.append("discretion.\(name): \(value) is outside 0...1")
        }
        if !(d.minorPosition <= d.generalPosition && d.generalPosition <= d.seriousPosition) {
            found.append("discretion: positions must rise from minor to general to serious")
        }
        if !(0...4).contains(d.multipleScale) { found.append("discretion.multiple_scale: \(d.multipleScale) is outside 0...4") }
        if d.policeReferralAmount <= 0 { found.append("discretion.police_referral_amount: must be above 0") }
        if majorDecisions.institutionFineThreshold <= 0 { found.append("major_decisions.institution_fine_threshold: must be above 0") }
        if majorDecisions.individualFineThreshold <= 0 { found.append("major_decisions.individual_fine_threshold: must be above 0") }
        return found + lenientList.problems
    }
}
