import Foundation
import HISContract
@_exported import ReviewStatistics

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

    /// Spelt out, as the patient record's are (`HISJSON`): read with `read(_:)`, never with a
    /// decoder that converts keys.
    enum CodingKeys: String, CodingKey {
        case claimId = "claim_id", version, supersedes, msgid, trigScen = "trig_scen", acceptedAt = "accepted_at", patient
    }

    /// The event's data, read without converting a key (the hot path of smart-review): the strict
    /// scanner, or Foundation's decoder for anything it does not take (see `Patient.read(json:)`).
    public static func read(_ data: [UInt8]) throws -> ClaimAccepted {
        try readWithRecord(data).event
    }

    /// The event and its patient record's bytes as intake wrote them, which smart-review stores as
    /// they are (encoding the record again cost more than reading it).
    public static func readWithRecord(_ data: [UInt8]) throws -> (event: ClaimAccepted, record: ArraySlice<UInt8>) {
        var record = 0..<0
        if let accepted = try? JSONScanner.read(data, { try ClaimAccepted(scanning: &$0, record: &record) }) { return (accepted, data[record]) }
        let accepted = try EventJSON.literalDecoder.decode(ClaimAccepted.self, from: Data(data))
        return (accepted, accepted.patient.json[...])
    }

    init(scanning json: inout JSONScanner, record: inout Range<Int>) throws {
        var claimId: String?, version: Int?, supersedes: String?, msgid: String?, trigScen: Int?, acceptedAt: Date?, patient: Patient?
        try json.object { json, key in
            switch key {
            case CodingKeys.claimId.rawValue: claimId = try json.string()
            case CodingKeys.version.rawValue: version = try json.int()
            case CodingKeys.supersedes.rawValue: supersedes = try json.optionalString()
            case CodingKeys.msgid.rawValue: msgid = try json.string()
            case CodingKeys.trigScen.rawValue: trigScen = try json.int()
            case CodingKeys.acceptedAt.rawValue: acceptedAt = EventJSON.parseTimestamp(try json.string())
            case CodingKeys.patient.rawValue: (patient, record) = try json.span { try Patient(scanning: &$0) }
            default: try json.skipValue()
            }
        }
        guard let claimId, let version, let msgid, let trigScen, let acceptedAt, let patient else { throw json.mismatch() }
        self.init(claimId: claimId, version: version, supersedes: supersedes, msgid: msgid, trigScen: trigScen, acceptedAt: acceptedAt,
                  patient: patient)
    }

    /// The claim's identity: one per (institution, encounter, settlement), `medins_id/mdtrt_id/setl_id`.
    /// A `/` or `%` inside a part is written `%2F` or `%25`, so two settlements never share an id
    /// (`A`, `B/C`, `D` and `A`, `B`, `C/D` would; intake keeps a settlement once by this id alone);
    /// ids without them, all that the national codes use, read as they always did.
    public static func claimId(institution: String, encounter: String, settlement: String) -> String {
        "\(idPart(institution))/\(idPart(encounter))/\(idPart(settlement))"
    }

    private static func idPart(_ part: String) -> String {
        guard part.utf8.contains(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "%") }) else { return part }
        return part.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "/", with: "%2F")
    }

    public var eventID: String { Self.eventID(claimId: claimId) }
    public static func eventID(claimId: String) -> String { "claim-accepted:\(claimId)" }

    /// The event's JSON around a patient record already encoded (snake_case, as `HISJSON` writes
    /// it): intake stores that record and publishes it without encoding the claim a second time.
    public static func json(claimId: String, version: Int, supersedes: String?, msgid: String, trigScen: Int, acceptedAt: Date,
                            patientJSON: [UInt8]) -> [UInt8] {
        // Written member by member, not through a `JSONEncoder` with key conversion: intake's relay
        // writes one for every claim it publishes.
        var json = JSONWriter(capacity: patientJSON.count + 256)
        json.object { json in
            json.member("accepted_at", EventJSON.timestamp(acceptedAt))
            json.member("claim_id", claimId)
            json.member("msgid", msgid)
            json.member("patient", json: patientJSON)
            json.member("supersedes", supersedes)
            json.member("trig_scen", trigScen)
            json.member("version", version)
        }
        return json.bytes
    }
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
    /// P01..P23, or UNKNOWN_CODE.
    public var pattern: String
    public var ruleId: String
    public var ruleVersion: Int
    public var ruleSetVersion: Int
    public var kbVersion: String
    /// 明确违规, 疑似违规, 提醒: on the wire 1, 2, 3 as ever.
    public var severity: Severity
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
                pattern: String, ruleId: String, ruleVersion: Int, ruleSetVersion: Int, kbVersion: String, severity: Severity, amount: Decimal,
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

/// `review.findings` (key `patn_id`, `ce_type` `cn.hsa.review.finding.withdrawn`): a finding withdrawn
/// (撤销), not deleted — contradicted by later evidence or its claim superseded by a corrected settlement.
public struct FindingWithdrawn: Codable, Sendable, Equatable {
    public var findingId: String
    /// The claim the finding was made on.
    public var claimId: String
    public var patnId: String
    public var medinsId: String
    public var pattern: String
    /// contradicted (later evidence) or superseded (a corrected settlement).
    public var cause: String
    /// e.g. "superseded by corrected settlement <claim id>".
    public var reason: String
    public var reasonZh: String
    /// The claim whose arrival withdrew it.
    public var byClaimId: String
    public var withdrawnAt: Date

    public init(findingId: String, claimId: String, patnId: String, medinsId: String, pattern: String, cause: String,
                reason: String, reasonZh: String, byClaimId: String, withdrawnAt: Date) {
        self.findingId = findingId
        self.claimId = claimId
        self.patnId = patnId
        self.medinsId = medinsId
        self.pattern = pattern
        self.cause = cause
        self.reason = reason
        self.reasonZh = reasonZh
        self.byClaimId = byClaimId
        self.withdrawnAt = withdrawnAt
    }

    /// One withdrawal per finding, whatever retries.
    public var eventID: String { "finding-withdrawn:\(findingId)" }
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

/// `reports.progress` (key report id): one step of a report on the workbench, for the reporter who
/// follows it with the tracking number in intake. No reviewer, no reporter, no findings: only how
/// far it got and the reward. `step` grows by one per step, so a consumer keeps the highest.
public struct ReportProgress: Codable, Sendable, Equatable {
    public var reportId: String
    public var step: Int
    /// assigned, investigating, confirmed, unfounded, rewarded or paid (ReviewWorkflow.ReportState).
    public var status: String
    /// The reward awarded, yuan (once rewarded).
    public var rewardAmount: Decimal?
    public var paid: Bool
    public var at: Date

    public init(reportId: String, step: Int, status: String, rewardAmount: Decimal?, paid: Bool, at: Date) {
        self.reportId = reportId
        self.step = step
        self.status = status
        self.rewardAmount = rewardAmount
        self.paid = paid
        self.at = at
    }

    public var eventID: String { "report-progress:\(reportId):\(step)" }
}

/// `review.outcomes` (key case id): a decided case, published only after any legal review it
/// needed approved it. Carries what credit and the agencies need, nothing more.
public struct CaseDecided: Codable, Sendable, Equatable {
    public struct Party: Codable, Sendable, Equatable {
        /// `prac_codg`, `psn_no` or institution code.
        public var id: String
        /// practitioner, insured_person, institution, public_official, employer, pharma_company
        public var kind: String
        /// `offender` (违法主体) or `responsible` (相关责任人员) on cases that name their parties; earlier
        /// events used e.g. attending_doctor, pharmacist, insured, legal_representative.
        public var role: String
        public var name: String?
        /// The person's home region (参保地), for cross-region routing.
        public var insuredRegion: String?
        /// The conduct held against this party (the workbench's behaviour codes, e.g. `duplicateCharging`);
        /// absent on events from before parties were named.
        public var conduct: [String]?

        public init(id: String, kind: String, role: String, name: String? = nil, insuredRegion: String? = nil, conduct: [String]? = nil) {
            self.id = id
            self.kind = kind
            self.role = role
            self.name = name
            self.insuredRegion = insuredRegion
            self.conduct = conduct
        }
    }

    public var caseId: String
    public var institutionId: String
    public var institutionName: String?
    /// 就医地: the region where the care took place.
    public var careRegion: String
    /// 参保地 of the persons involved.
    public var insuredRegions: [String]
    public var claimIds: [String]
    public var findingIds: [String]
    public var parties: [Party]
    /// P01..P23
    public var patterns: [String]
    /// The gravest severity among the case's findings (1, 2, 3 on the wire as ever). The case's own
    /// gravity is `gravity`, read from its handling.
    public var severity: Severity
    /// Amount to recover, yuan.
    public var amount: Decimal
    public var fine: Decimal
    /// Order 735 article applied: 38, 39, 40 or 41.
    public var article: Int
    /// e.g. recover, fine, suspension, termination, interview, inquiry, rectification
    public var handling: [String]
    public var suspensionMonths: Int?
    /// Practitioner payment-eligibility points proposed per practitioner (医保支付资格记分).
    public var practitionerPoints: [String: Int]
    public var fraud: Bool
    public var legalBasis: String
    public var referToPolice: Bool
    public var publicOfficialsInvolved: Bool
    public var decidedAt: Date
    /// Who approved it at the legal review (法制审核), when it was a major decision.
    public var legalReviewer: String?
    /// Drug traceability codes involved (for the drug administration).
    public var traceabilityCodes: [String]
    /// 典型案例: the bureau exposes the case as typical on the public feed (absent: an ordinary publication).
    public var typical: Bool?
    /// 案件来源: claimReview, onSiteInspection, flightInspection, superiorLead, departmentLead or
    /// whistleblowerReport (absent on events from before sources); credit's annual inspection plan reads it.
    public var source: String?
    /// The source's plan, notice, document or report number.
    public var sourceReference: String?

    public init(caseId: String, institutionId: String, institutionName: String?, careRegion: String, insuredRegions: [String],
                claimIds: [String], findingIds: [String], parties: [Party], patterns: [String], severity: Severity, amount: Decimal,
                fine: Decimal, article: Int, handling: [String], suspensionMonths: Int?, practitionerPoints: [String: Int],
                fraud: Bool, legalBasis: String, referToPolice: Bool, publicOfficialsInvolved: Bool, decidedAt: Date,
                legalReviewer: String?, traceabilityCodes: [String], typical: Bool? = nil, source: String? = nil,
                sourceReference: String? = nil) {
        self.typical = typical
        self.source = source
        self.sourceReference = sourceReference
        self.caseId = caseId
        self.institutionId = institutionId
        self.institutionName = institutionName
        self.careRegion = careRegion
        self.insuredRegions = insuredRegions
        self.claimIds = claimIds
        self.findingIds = findingIds
        self.parties = parties
        self.patterns = patterns
        self.severity = severity
        self.amount = amount
        self.fine = fine
        self.article = article
        self.handling = handling
        self.suspensionMonths = suspensionMonths
        self.practitionerPoints = practitionerPoints
        self.fraud = fraud
        self.legalBasis = legalBasis
        self.referToPolice = referToPolice
        self.publicOfficialsInvolved = publicOfficialsInvolved
        self.decidedAt = decidedAt
        self.legalReviewer = legalReviewer
        self.traceabilityCodes = traceabilityCodes
    }

    public var eventID: String { "case-decided:\(caseId)" }
}

extension CaseDecided {
    /// The case's gravity, read from how it was handled — the one reading credit files and notification routes by:
    /// fraud (or art. 40) is fraud; suspension or termination of services is serious; a fine is general;
    /// anything handled without a fine (interview, rectification) is minor.
    public var gravity: Gravity {
        if fraud || article == 40 { return .fraud }
        if handling.contains("suspension") || handling.contains("termination") { return .serious }
        return fine > 0 ? .general : .minor
    }
}

/// `credit.changes` (key subject id): a grade, points, list or suspension change, with reasons.
public struct CreditChanged: Codable, Sendable, Equatable {
    public var changeId: String
    /// institution, practitioner, insured_person, employer, pharma_company
    public var subjectKind: String
    public var subjectId: String
    /// grade, points, list, suspension, agreement (an institution's service agreement: active / suspended)
    public var change: String
    public var before: String?
    public var after: String
    public var reasons: [String]
    public var caseId: String?
    /// The region of the subject (for routing).
    public var region: String?
    public var effectiveFrom: String
    public var effectiveUntil: String?
    /// On a grade change: the settlement measures the new grade carries (`SettlementMeasure` raw values of
    /// credit's consequence policy, e.g. `fullReview`), which intake and smart-review enforce. Absent on
    /// other changes and on events published before it was added.
    public var measures: [String]?

    public init(changeId: String, subjectKind: String, subjectId: String, change: String, before: String?, after: String,
                reasons: [String], caseId: String?, region: String?, effectiveFrom: String, effectiveUntil: String?,
                measures: [String]? = nil) {
        self.changeId = changeId
        self.subjectKind = subjectKind
        self.subjectId = subjectId
        self.change = change
        self.before = before
        self.after = after
        self.reasons = reasons
        self.caseId = caseId
        self.region = region
        self.effectiveFrom = effectiveFrom
        self.effectiveUntil = effectiveUntil
        self.measures = measures
    }

    public var eventID: String { "credit-change:\(changeId)" }
}

/// `notification.feedback` (key case id): a receiver's acknowledgement of a delivery, or its
/// later decision on the case (e.g. police: case opened or not), for the review side.
public struct DeliveryFeedback: Codable, Sendable, Equatable {
    public var feedbackId: String
    public var deliveryId: String
    public var caseId: String
    public var subscriberId: String
    /// police, disciplineInspection, … (NotificationRules.SubscriberType raw values).
    public var subscriberType: String
    /// acknowledged or decision
    public var kind: String
    /// e.g. case_opened, not_opened, rectified (for a decision).
    public var decision: String?
    public var note: String?
    public var receivedAt: Date

    public init(feedbackId: String, deliveryId: String, caseId: String, subscriberId: String, subscriberType: String,
                kind: String, decision: String?, note: String?, receivedAt: Date) {
        self.feedbackId = feedbackId
        self.deliveryId = deliveryId
        self.caseId = caseId
        self.subscriberId = subscriberId
        self.subscriberType = subscriberType
        self.kind = kind
        self.decision = decision
        self.note = note
        self.receivedAt = receivedAt
    }

    public var eventID: String { "delivery-feedback:\(feedbackId)" }
}

/// `review.statistics` (key `medins_id`): an institution's figures for a period, for public
/// disclosure (信息披露) and the supervisors' dashboards. The event carries the statistics as
/// computed, field for field.
public typealias StatisticsPublished = InstitutionStatistics
