import Foundation
import HISContract

/// Registered sex as the catalogues and the registry write it (M/F); the claim's "1"/"2" maps here.
public enum Sex: String, Sendable, Codable, Hashable {
    case male = "M"
    case female = "F"

    /// The national interface's `gend` code: "1" male, "2" female.
    public init?(gend: String) {
        switch gend {
        case "1": self = .male
        case "2": self = .female
        default: return nil
        }
    }

    public var gend: String { self == .male ? "1" : "2" }
    /// 男 / 女, for explanations.
    public var chinese: String { self == .male ? "男" : "女" }
}

/// A catalogue drug (医保药品目录), one row of drugs.csv.
public struct Drug: Sendable, Hashable {
    public var code: String
    public var name: String
    public var atc: String
    public var unit: String
    /// Yuan per `unit`.
    public var priceCap: Decimal
    public var sexLimit: Sex?
    public var minAgeYears: Int?
    public var maxAgeYears: Int?
    /// Maximum days of supply per outpatient prescription.
    public var maxDaysOutpatient: Int?
    /// Units used per day: days of supply = quantity / packsPerDay.
    public var packsPerDay: Decimal?
    /// ICD-10 prefixes; empty means any diagnosis.
    public var indications: [String]
    public var minHospitalLevel: Int
    public var inpatientOnly: Bool
    public var listClass: String
    /// The 7-digit product identifier that starts every 20-digit traceability code (药品追溯码).
    public var tracePrefix: String
    /// Prescription-only (处方药): a pharmacy sale needs a prescription that stands (P23); false is over the counter.
    public var rxOnly: Bool
}

/// A service item (医疗服务项目), one row of services.csv.
public struct ServiceItem: Sendable, Hashable {
    public var code: String
    public var name: String
    public var unit: String
    /// Caps by institution level 1, 2, 3; a cap of 0 means "not allowed at that level".
    public var priceCaps: [Decimal]
    public var sexLimit: Sex?
    public var minAgeDays: Int?
    public var maxAgeDays: Int?
    public var maxPerDay: Int?
    /// Billed as one line whose `cnt` is a number of consecutive inpatient days.
    public var perStayDay: Bool
    public var inpatientOnly: Bool
    public var minHospitalLevel: Int
    /// Items of one group exclude each other on the same day (e.g. nursing levels).
    public var exclusiveGroup: String?
    /// Component codes a package includes.
    public var packageOf: [String]

    /// The cap at an institution level (1-3); nil outside 1-3.
    public func priceCap(level: Int) -> Decimal? {
        (1...3).contains(level) ? priceCaps[level - 1] : nil
    }
}

/// An ICD-10 diagnosis of diagnoses.csv with its sex and age limits.
public struct DiagnosisEntry: Sendable, Hashable {
    public var code: String
    public var name: String
    public var sexLimit: Sex?
    public var minAgeDays: Int?
    public var maxAgeDays: Int?
}

public enum InstitutionType: String, Sendable, Hashable {
    case hospital, pharmacy
}

/// A designated institution (定点医药机构).
public struct Institution: Sendable, Hashable {
    public var code: String
    public var name: String
    public var type: InstitutionType
    /// 1-3; 0 for pharmacies.
    public var level: Int
    public var admdvs: String
    public var beds: Int
    public var dailyOutpatientCapacity: Int

    /// The level used for caps and minimum levels: a pharmacy counts as level 1.
    public var effectiveLevel: Int { max(level, 1) }
}

public enum PractitionerKind: String, Sendable, Hashable {
    case doctor, nurse, pharmacist
}

/// A doctor, nurse or pharmacist.
public struct Practitioner: Sendable, Hashable {
    public var code: String
    public var name: String
    public var kind: PractitionerKind
    public var title: String
    public var institutionCode: String
    public var dailyOutpatientCapacity: Int?
}

/// An insured person of the registry (参保人).
public struct Person: Sendable, Hashable {
    public var id: String
    public var name: String
    public var sex: Sex
    public var birthDate: CivilDate
    /// Home region (参保地).
    public var insuredRegion: String
    /// 310 employee, 390 resident.
    public var insuranceType: String
    public var deathDate: CivilDate?

    /// Completed years on `date` (drug age limits).
    public func ageYears(on date: CivilDate) -> Int { birthDate.completedYears(on: date) }
    /// Days since birth on `date` (service and diagnosis age limits).
    public func ageDays(on date: CivilDate) -> Int { birthDate.days(to: date) }
}

public struct Region: Sendable, Hashable {
    public var admdvs: String
    public var name: String
}
