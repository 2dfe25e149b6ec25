import Foundation
import HISContract

/// The edge checks of a 3101/3102 push (数据采集 校验): structure, codes, amounts, dates, identity
/// (实名就医) and catalogue codes (医保目录适用认定), traceability codes (药品追溯码). Pure: the
/// caller gives the registry, the institution that authenticated and the current time.
///
/// What is NOT refused here, because the documents make it a finding for review: sex or birth
/// date differing from the registry (P21), care after the registered death (P16), a traceability
/// code of another drug (P12), fee times outside the stay (P09).
public struct SettlementValidator: Sendable {
    public let registry: any Registry
    /// The institution whose credential made the call: it may submit only for itself.
    public let institution: String
    /// Now, in China time, on the civil calendar; pushes may not come from the future.
    public let now: CivilDateTime
    /// Clock skew tolerated between the hospital and the platform.
    public var toleranceSeconds = defaultToleranceSeconds { didSet { latestAcceptable = now.adding(seconds: toleranceSeconds) } }
    /// The latest time a pushed record may carry: now plus the tolerated skew.
    private(set) var latestAcceptable: CivilDateTime
    /// The largest event the broker accepts (the producer's `message.max.bytes`): a settlement
    /// whose `claims.accepted` event would be larger is refused, since it could never be published.
    public var maxEventBytes: Int

    public static let defaultToleranceSeconds = 300
    /// librdkafka's default `message.max.bytes`, for callers that do not pass the producer's.
    public static let defaultMaxEventBytes = 1_000_000

    public init(registry: any Registry, institution: String, now: CivilDateTime, maxEventBytes: Int = defaultMaxEventBytes) {
        self.registry = registry
        self.institution = institution
        self.now = now
        self.latestAcceptable = now.adding(seconds: Self.defaultToleranceSeconds)
        self.maxEventBytes = maxEventBytes
    }

    /// Whether a valid record of one encounter, received as `byteCount` bytes that the strict
    /// scanner read, may be stored and published as received (`EventSize.carriesAsReceived`).
    public func carriesAsReceived(_ byteCount: Int, _ patient: Patient) -> Bool {
        EventSize(limit: maxEventBytes).carriesAsReceived(byteCount, patient)
    }

    /// `receivedBytes`: the size of the body the request was read from, when known; it saves the
    /// walk over every string that tells whether each settled encounter's event fits.
    public func validate(_ request: HISRequest<ReviewInput>, receivedBytes: Int? = nil) -> [ValidationIssue] {
        // The dictionary's bounds first: a record beyond them is refused for that alone.
        let bounds = RecordLimits.issues(of: request, path: "") + RecordLimits.issues(of: request.input.data, path: "input.data")
            + RecordLimits.count(request.input.data.patientDtos.reduce(0) { $0 + $1.fsiEncounterDtos.count },
                                 list: "encounters_per_call", path: "input.data.patient_dtos[].fsi_encounter_dtos")
        guard bounds.isEmpty else { return bounds }
        var issues = envelopeIssues(request.infno, request.msgid, request.fixmedinsCode, expected: ["3101", "3102"])
        let scenario = request.input.data.trigScen.value
        if !(1...10).contains(scenario) {
            issues.append(.init("input.data.trig_scen", "must be 1-10, got \(scenario)"))
        }
        if request.infno == "3101" && !TriggerScenario.beforeSettlement.contains(scenario) {
            issues.append(.init("input.data.trig_scen", "3101 is for scenarios 1-5 (before settlement), got \(scenario)"))
        }
        if request.infno == "3102" && !TriggerScenario.duringSettlement.contains(scenario) {
            issues.append(.init("input.data.trig_scen", "3102 is for scenarios 6-10 (during settlement), got \(scenario)"))
        }
        let patients = request.input.data.patientDtos
        if patients.isEmpty { issues.append(.init("input.data.patient_dtos", "must contain at least one patient")) }
        let settling = TriggerScenario.settling.contains(scenario)
        for (index, patient) in patients.enumerated() {
            issues += validate(patient, path: "input.data.patient_dtos[\(index)]", settling: settling, receivedBytes: receivedBytes)
        }
        return issues
    }

    /// The envelope fields every call carries.
    public func envelopeIssues(_ infno: String, _ msgid: String, _ fixmedinsCode: String, expected: Set<String>) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if !expected.contains(infno) { issues.append(.init("infno", "must be one of \(expected.sorted().joined(separator: ", ")), got '\(infno)'")) }
        if fixmedinsCode != institution {
            issues.append(.init("fixmedins_code", "'\(fixmedinsCode)' is not the institution of this credential (\(institution))"))
        }
        if !msgid.hasPrefix(fixmedinsCode) || msgid.count != fixmedinsCode.count + 18
            || !msgid.dropFirst(fixmedinsCode.count).allSatisfy(\.isASCII) || !msgid.dropFirst(fixmedinsCode.count).allSatisfy(\.isNumber) {
            issues.append(.init("msgid", "must be fixmedins_code + yyyyMMddHHmmss + 4-digit sequence, got '\(msgid)'"))
        }
        return issues
    }

    /// One patient record with its encounters (also the unit of the bulk path). `receivedBytes`: the
    /// size of what it was read from, when known (`EventSize.upperBound(_:_:receivedBytes:)`).
    public func validate(_ patient: Patient, path: String, settling: Bool, receivedBytes: Int? = nil) -> [ValidationIssue] {
        let bounds = RecordLimits.issues(of: patient, path: path)
        guard bounds.isEmpty else { return bounds }
        var issues: [ValidationIssue] = settling ? EventSize(limit: maxEventBytes).issues(of: patient, path: path, receivedBytes: receivedBytes) : []
        if patient.patnId.isEmpty {
            issues.append(.init("\(path).patn_id", "is required"))
        } else if !registry.personExists(patient.patnId) {
            issues.append(.init("\(path).patn_id", "'\(patient.patnId)' is not in the insured-person registry (实名就医)"))
        }
        if patient.gend != "1" && patient.gend != "2" { issues.append(.init("\(path).gend", "must be \"1\" (male) or \"2\" (female), got '\(patient.gend)'")) }
        if let birth = CivilDate(patient.brdy) {
            if birth > now.date { issues.append(.init("\(path).brdy", "\(birth) is in the future")) }
        } else {
            issues.append(.init("\(path).brdy", "must be yyyy-MM-dd, got '\(patient.brdy)'"))
        }
        if patient.fsiEncounterDtos.isEmpty { issues.append(.init("\(path).fsi_encounter_dtos", "must contain at least one encounter")) }
        var seen = Set<String>()
        for (index, encounter) in patient.fsiEncounterDtos.enumerated() {
            let where_ = "\(path).fsi_encounter_dtos[\(index)]"
            if !seen.insert(encounter.mdtrtId).inserted { issues.append(.init("\(where_).mdtrt_id", "'\(encounter.mdtrtId)' appears twice in this patient")) }
            issues += EncounterValidator(validator: self, path: where_, settling: settling).validate(encounter)
        }
        return issues
    }
}
