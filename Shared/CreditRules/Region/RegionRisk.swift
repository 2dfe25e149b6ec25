import Foundation
import HISContract

/// District supervision risk level (区医保基金监管风险高、中、低等级, 南京 2025).
public enum RegionRiskLevel: String, Sendable, Codable, CaseIterable, Comparable {
    case low, medium, high

    private var rank: Int { self == .low ? 0 : self == .medium ? 1 : 2 }
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }

    /// The joint meeting (联席会议) the district government must hold: high quarterly, medium
    /// half-yearly, low yearly; a high-risk district's principal leader also chairs a special meeting
    /// on fund supervision at least once a year (主要领导每年至少主持召开一次专题会议).
    public var meetingRequirement: MeetingRequirement {
        switch self {
        case .high: MeetingRequirement(jointMeetingFrequency: .quarterly, principalLeaderSpecialMeetingsPerYear: 1)
        case .medium: MeetingRequirement(jointMeetingFrequency: .halfYearly, principalLeaderSpecialMeetingsPerYear: 0)
        case .low: MeetingRequirement(jointMeetingFrequency: .yearly, principalLeaderSpecialMeetingsPerYear: 0)
        }
    }
}

public struct MeetingRequirement: Sendable, Codable, Equatable {
    /// Joint meetings of the departments, organised by the deputy head in charge (分管领导).
    public var jointMeetingFrequency: Periodicity
    public var principalLeaderSpecialMeetingsPerYear: Int

    public init(jointMeetingFrequency: Periodicity, principalLeaderSpecialMeetingsPerYear: Int) {
        self.jointMeetingFrequency = jointMeetingFrequency
        self.principalLeaderSpecialMeetingsPerYear = principalLeaderSpecialMeetingsPerYear
    }
}

/// What happened in one region (admdvs) over a period.
public struct RegionStatistics: Sendable, Codable, Equatable {
    public var admdvs: String
    public var periodStart: CivilDate
    /// Inclusive.
    public var periodEnd: CivilDate
    /// Machine and review findings confirmed as problems.
    public var findings: Int
    /// Decided cases (立案查处).
    public var cases: Int
    /// Fund amount involved in those cases, yuan.
    public var amount: Decimal
    /// Insured persons of the region (参保人数), the denominator of every rate.
    public var insuredPersons: Int

    public init(admdvs: String, periodStart: CivilDate, periodEnd: CivilDate, findings: Int, cases: Int, amount: Decimal, insuredPersons: Int) {
        self.admdvs = admdvs
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.findings = findings
        self.cases = cases
        self.amount = amount
        self.insuredPersons = insuredPersons
    }
}

/// Limits of one indicator: medium at or above `medium`, high at or above `high`.
public struct RiskLimits: Sendable, Codable, Equatable {
    public var medium: Double
    public var high: Double

    public init(medium: Double, high: Double) {
        self.medium = medium
        self.high = high
    }

    func level(_ value: Double) -> RegionRiskLevel {
        value >= high ? .high : value >= medium ? .medium : .low
    }
}

/// The region risk model as versioned data. Rates are annualised (× 365 / days in the period) so
/// a quarter and a year compare; the level is the highest level any indicator reaches, so one
/// alarming indicator is never averaged away.
public struct RegionRiskModel: Sendable, Codable, Equatable {
    public var version: String
    /// Findings per 10 000 insured persons per year. Default: medium 50, high 150.
    public var findingsPer10k: RiskLimits
    /// Cases per 10 000 insured persons per year. Default: medium 2, high 5.
    public var casesPer10k: RiskLimits
    /// Amount involved per insured person per year, yuan. Default: medium 5, high 20.
    public var amountPerInsured: RiskLimits

    public init(version: String, findingsPer10k: RiskLimits, casesPer10k: RiskLimits, amountPerInsured: RiskLimits) {
        self.version = version
        self.findingsPer10k = findingsPer10k
        self.casesPer10k = casesPer10k
        self.amountPerInsured = amountPerInsured
    }

    public static let `default` = RegionRiskModel(
        version: "region-risk-v1",
        findingsPer10k: RiskLimits(medium: 50, high: 150),
        casesPer10k: RiskLimits(medium: 2, high: 5),
        amountPerInsured: RiskLimits(medium: 5, high: 20))
}

public struct RegionRiskResult: Sendable, Codable, Equatable {
    public var admdvs: String
    public var modelVersion: String
    public var level: RegionRiskLevel
    public var meetingRequirement: MeetingRequirement
    /// Annualised indicators.
    public var findingsPer10k: Double
    public var casesPer10k: Double
    public var amountPerInsured: Double
    public var reasons: [String]
}

extension RegionRiskModel {
    public func assess(_ stats: RegionStatistics) -> RegionRiskResult {
        let days = max(1, stats.periodStart.days(to: stats.periodEnd) + 1)
        let annualise = 365 / Double(days)
        let insured = Double(max(1, stats.insuredPersons))
        let findings = Double(stats.findings) / insured * 10_000 * annualise
        let cases = Double(stats.cases) / insured * 10_000 * annualise
        let amount = Amounts.double(stats.amount) / insured * annualise
        var reasons = ["\(stats.admdvs) \(stats.periodStart)~\(stats.periodEnd)（\(days) 天）参保 \(stats.insuredPersons) 人，按年折算 / \(days)-day period annualised"]
        if stats.insuredPersons <= 0 { reasons.append("参保人数缺失，按 1 人计 / no insured-person count, rates use 1") }
        let indicators: [(String, Double, RiskLimits)] = [
            ("每万人发现问题 findings per 10k", findings, findingsPer10k),
            ("每万人立案 cases per 10k", cases, casesPer10k),
            ("人均涉及金额(元) amount per insured (yuan)", amount, amountPerInsured),
        ]
        var level = RegionRiskLevel.low
        for (name, value, limits) in indicators {
            let indicatorLevel = limits.level(value)
            level = max(level, indicatorLevel)
            reasons.append("\(name) \(String(format: "%.2f", value))（中 ≥ \(limits.medium)，高 ≥ \(limits.high)）→ \(indicatorLevel.rawValue)")
        }
        let meeting = level.meetingRequirement
        reasons.append("风险等级 \(level.rawValue)，联席会议 \(meeting.jointMeetingFrequency.rawValue) / level \(level.rawValue): joint meeting \(meeting.jointMeetingFrequency.rawValue)")
        return RegionRiskResult(admdvs: stats.admdvs, modelVersion: version, level: level, meetingRequirement: meeting,
                                findingsPer10k: findings, casesPer10k: cases, amountPerInsured: amount, reasons: reasons)
    }
}
