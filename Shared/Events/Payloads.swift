import Foundation
import HISContract

/// `claims.accepted` (key `patn_id`): a settlement intake accepted, as the hospital sent it.
/// A correction of the same encounter is a new claim with a higher `version` naming the claim
/// it supersedes; nothing is overwritten.
public struct ClaimAccepted: Codable, Sendable {
    public var claimId: String
    public var version: Int
    public var supersedes: String?
    /// The message that carried it, and the trigger scenario (6, 8, 10).
    public var msgid: String
    public var trigScen: Int
    public var acceptedAt: Date
    /// The patient record with exactly this claim's encounter.
    public var patient: Patient

    public init(claimId: String, version: Int, supersedes: String?, msgid: String, trigScen: Int, acceptedAt: Date, patient: Patient) {
        self.claimId = claimId
        self.version = version
        self.supersedes = supersedes
        self.msgid = msgid
        self.trigScen = trigScen
        self.acceptedAt = acceptedAt
        self.patient = patient
    }

    public var encounter: Encounter { patient.fsiEncounterDtos[0] }

    /// The claim's identity: one per (institution, encounter, settlement).
    public static func claimId(institution: String, encounter: String, settlement: String) -> String {
        "\(institution)/\(encounter)/\(settlement)"
    }

    public var eventID: String { "claim-accepted:\(claimId)" }
}

/// `review.findings` (key `patn_id`): one finding of the rule base on one claim.
public struct FindingPublished: Codable, Sendable {
    public var findingId: String
    public var claimId: String
    public var mdtrtId: String
    public var setlId: String?
    public var patnId: String
    public var medinsId: String
    public var drCodg: String?
    /// P01..P21, or UNKNOWN_CODE.
    public var pattern: String
    public var ruleId: String
    public var ruleVersion: Int
    public var ruleSetVersion: Int
    public var kbVersion: String
    /// 1 clear violation, 2 suspected, 3 reminder.
    public var severity: Int
    public var amount: Decimal
    public var explanation: String
    public var legalBasis: String
    /// Fee lines (rx_id) and earlier claims involved.
    public var evidenceLines: [String]
    public var evidenceClaims: [String]
    /// before (3101), during (3102), after (事后, the full review of every accepted claim).
    public var stage: String
    public var foundAt: Date

    public init(findingId: String, claimId: String, mdtrtId: String, setlId: String?, patnId: String, medinsId: String, drCodg: String?,
                pattern: String, ruleId: String, ruleVersion: Int, ruleSetVersion: Int, kbVersion: String, severity: Int, amount: Decimal,
                explanation: String, legalBasis: String, evidenceLines: [String], evidenceClaims: [String], stage: String, foundAt: Date) {
        self.findingId = findingId
        self.claimId = claimId
        self.mdtrtId = mdtrtId
        self.setlId = setlId
        self.patnId = patnId
        self.medinsId = medinsId
        self.drCodg = drCodg
        self.pattern = pattern
        self.ruleId = ruleId
        self.ruleVersion = ruleVersion
        self.ruleSetVersion = ruleSetVersion
        self.kbVersion = kbVersion
        self.severity = severity
        self.amount = amount
        self.explanation = explanation
        self.legalBasis = legalBasis
        self.evidenceLines = evidenceLines
        self.evidenceClaims = evidenceClaims
        self.stage = stage
        self.foundAt = foundAt
    }

    public var eventID: String { "finding:\(findingId)" }
}

/// `reports.received` (key report id): a whistle-blower report (举报投诉), without the reporter's
/// identity or contact, which never leave intake in clear.
public struct ReportReceived: Codable, Sendable {
    public var reportId: String
    /// institution, practitioner or person.
    public var subjectType: String
    public var subjectId: String
    public var content: String
    /// References to evidence (file ids, URLs), not the files.
    public var evidence: [String]
    public var receivedAt: Date

    public init(reportId: String, subjectType: String, subjectId: String, content: String, evidence: [String], receivedAt: Date) {
        self.reportId = reportId
        self.subjectType = subjectType
        self.subjectId = subjectId
        self.content = content
        self.evidence = evidence
        self.receivedAt = receivedAt
    }

    public var eventID: String { "report:\(reportId)" }
}
