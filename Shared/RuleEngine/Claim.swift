import Foundation
import HISContract
import KnowledgeBase

/// The kind of encounter from `med_mdtrt_type`: 1 outpatient (门诊), 2 inpatient (住院), 3 pharmacy (药店购药).
public enum EncounterKind: String, Sendable, Codable, Hashable {
    case outpatient, inpatient, pharmacy

    public init?(medMdtrtType: String) {
        switch medMdtrtType {
        case "1": self = .outpatient
        case "2": self = .inpatient
        case "3": self = .pharmacy
        default: return nil
        }
    }

    /// Outpatient supply and purchases (P06, P14, P20) include pharmacy encounters.
    public var isOutpatientLike: Bool { self != .inpatient }

    var chinese: String {
        switch self {
        case .outpatient: "门诊"
        case .inpatient: "住院"
        case .pharmacy: "药店购药"
        }
    }
}

/// The catalogue a fee line belongs to, from `hilist_type` (101/102 drug, 201 service, 301 consumable).
public enum FeeLineType: String, Sendable, Codable, Hashable {
    case drug, service, consumable

    public init?(hilistType: String) {
        switch hilistType {
        case "101", "102": self = .drug
        case "201": self = .service
        case "301": self = .consumable
        default: return nil
        }
    }
}

/// One fee line (费用明细) of a claim.
public struct FeeLine: Sendable, Codable, Equatable {
    public var rxID: String
    public var code: String
    public var name: String?
    public var type: FeeLineType
    public var count: Decimal
    public var price: Decimal
    public var amount: Decimal
    public var time: CivilDateTime
    /// Traceability codes (药品追溯码) of the dispensed packages.
    public var traceCodes: [String]
    /// `drord_dr_codg`, the ordering doctor; on a pharmacy sale, the doctor who wrote the prescription (外配处方, P23).
    public var prescriber: String?

    public init(rxID: String, code: String, name: String? = nil, type: FeeLineType, count: Decimal, price: Decimal,
                amount: Decimal, time: CivilDateTime, traceCodes: [String] = [], prescriber: String? = nil) {
        self.rxID = rxID
        self.code = code
        self.name = name
        self.type = type
        self.count = count
        self.price = price
        self.amount = amount
        self.time = time
        self.traceCodes = traceCodes
        self.prescriber = prescriber
    }
}

/// A diagnosis of the encounter with its service date (`dise_date`, else the admission date).
public struct ClaimDiagnosis: Sendable, Codable, Equatable {
    public var code: String
    public var date: CivilDate

    public init(code: String, date: CivilDate) {
        self.code = code
        self.date = date
    }
}

/// The normalised claim the engine works on: one settled encounter of one person.
public struct Claim: Sendable, Codable, Equatable {
    public var claimID: String
    /// The insured person's psn_no (patn_id).
    public var personID: String
    /// Sex as written on the claim (`gend`); nil when the code is neither "1" nor "2".
    public var claimedSex: Sex?
    /// Birth date as written on the claim (`brdy`).
    public var claimedBirthDate: CivilDate
    /// medins_id.
    public var institutionID: String
    /// mdtrt_id.
    public var encounterID: String
    /// setl_id; nil for a check that settles nothing (such a claim is never history).
    public var settlementID: String?
    public var kind: EncounterKind
    public var admission: CivilDateTime
    public var discharge: CivilDateTime
    public var principalDiagnosis: String?
    /// dr_codg, the attending doctor.
    public var doctor: String?
    public var diagnoses: [ClaimDiagnosis]
    public var lines: [FeeLine]
    /// medfee_sumamt.
    public var totalAmount: Decimal
    /// The claim id of the earlier version of this encounter that this corrected settlement replaces
    /// (intake's `supersedes`); a superseded version is no longer history.
    public var supersedes: String?

    public init(claimID: String, personID: String, claimedSex: Sex?, claimedBirthDate: CivilDate, institutionID: String,
                encounterID: String, settlementID: String?, kind: EncounterKind, admission: CivilDateTime,
                discharge: CivilDateTime, principalDiagnosis: String?, doctor: String?, diagnoses: [ClaimDiagnosis],
                lines: [FeeLine], totalAmount: Decimal? = nil, supersedes: String? = nil) {
        self.claimID = claimID
        self.personID = personID
        self.claimedSex = claimedSex
        self.claimedBirthDate = claimedBirthDate
        self.institutionID = institutionID
        self.encounterID = encounterID
        self.settlementID = settlementID
        self.kind = kind
        self.admission = admission
        self.discharge = discharge
        self.principalDiagnosis = principalDiagnosis
        self.doctor = doctor
        self.diagnoses = diagnoses
        self.lines = lines
        self.totalAmount = totalAmount ?? lines.reduce(0) { $0 + $1.amount }
        self.supersedes = supersedes
    }

    /// Identity of a settlement: a retried (medins_id, mdtrt_id, setl_id) is the same claim.
    public var key: ClaimKey { ClaimKey(institutionID: institutionID, encounterID: encounterID, settlementID: settlementID ?? "") }

    /// Identity of the encounter, so that a mid-stay settlement does not count as a second stay.
    var encounterKey: String { institutionID + "\u{1F}" + encounterID }
}

public struct ClaimKey: Sendable, Hashable, Codable {
    public var institutionID: String
    public var encounterID: String
    public var settlementID: String
}

/// A 3102 encounter that cannot become a claim; names the offending field.
public struct ClaimMappingError: Error, CustomStringConvertible, Equatable, Sendable {
    public var field: String
    public var value: String
    public var reason: String

    public var description: String { "\(field) '\(value)': \(reason)" }
}

extension Claim {
    /// Maps one encounter of a 3101/3102 patient record. Throws naming the field when a date,
    /// the encounter type or a line type cannot be read.
    public init(patient: Patient, encounter: Encounter, claimID: String, supersedes: String? = nil) throws {
        let birth = try parseDate(patient.brdy, field: "brdy")
        guard let kind = EncounterKind(medMdtrtType: encounter.medMdtrtType) else {
            throw ClaimMappingError(field: "med_mdtrt_type", value: encounter.medMdtrtType, reason: "expected 1, 2 or 3")
        }
        let admission = try parseDateTime(encounter.admDate, field: "adm_date")
        let discharge = try parseDateTime(encounter.dscgDate, field: "dscg_date")
        let diagnoses = try encounter.fsiDiagnoseDtos.enumerated().map { i, d in
            let date = try d.diseDate.flatMap { $0.isEmpty ? nil : try parseDateTime($0, field: "fsi_diagnose_dtos[\(i)].dise_date").date }
            return ClaimDiagnosis(code: d.diseCodg, date: date ?? admission.date)
        }
        let lines = try encounter.fsiOrderDtos.enumerated().map { i, o in
            guard let type = FeeLineType(hilistType: o.hilistType) else {
                throw ClaimMappingError(field: "fsi_order_dtos[\(i)].hilist_type", value: o.hilistType, reason: "expected 101, 102, 201 or 301")
            }
            return FeeLine(rxID: o.rxId, code: o.hilistCode, name: o.hilistName, type: type, count: o.cnt, price: o.pric,
                           amount: o.sumamt, time: try parseDateTime(o.feeOcurTime, field: "fsi_order_dtos[\(i)].fee_ocur_time"),
                           traceCodes: o.drugTracCodg ?? [], prescriber: o.drordDrCodg.flatMap { $0.isEmpty ? nil : $0 })
        }
        let principal = encounter.dscgMainDiseCodg.flatMap { $0.isEmpty ? nil : $0 }
            ?? encounter.fsiDiagnoseDtos.first { $0.maindiseFlag == "1" }?.diseCodg
        self.init(claimID: claimID, personID: patient.patnId, claimedSex: Sex(gend: patient.gend), claimedBirthDate: birth,
                  institutionID: encounter.medinsId, encounterID: encounter.mdtrtId, settlementID: encounter.setlId,
                  kind: kind, admission: admission, discharge: discharge, principalDiagnosis: principal,
                  doctor: encounter.drCodg.flatMap { $0.isEmpty ? nil : $0 }, diagnoses: diagnoses, lines: lines,
                  totalAmount: encounter.medfeeSumamt, supersedes: supersedes)
    }
}

private func parseDate(_ text: String, field: String) throws -> CivilDate {
    guard let date = CivilDate(text) else { throw ClaimMappingError(field: field, value: text, reason: "expected yyyy-MM-dd") }
    return date
}

private func parseDateTime(_ text: String, field: String) throws -> CivilDateTime {
    guard let value = CivilDateTime(text) else {
        throw ClaimMappingError(field: field, value: text, reason: "expected yyyy-MM-dd HH:mm:ss")
    }
    return value
}
