import Foundation

/// 3101 / 3102 `input`: `{ "data": { trig_scen, rule_ids, task_id, patient_dtos } }`.
public struct ReviewInput: Codable, Sendable {
    public var data: ReviewRequest
    public init(data: ReviewRequest) { self.data = data }

    /// The national field names (国家医保接口规范), spelt out so no key is converted at run time.
    enum CodingKeys: String, CodingKey {
        case data
    }
}

public struct ReviewRequest: Codable, Sendable {
    /// Trigger scenario 1-10 (see `TriggerScenario`); a number or a numeric string on the wire.
    public var trigScen: FlexibleInt
    public var ruleIds: [String]?
    public var taskId: String?
    public var patientDtos: [Patient]

    public init(trigScen: Int, ruleIds: [String]? = nil, taskId: String? = nil, patientDtos: [Patient]) {
        self.trigScen = FlexibleInt(trigScen)
        self.ruleIds = ruleIds
        self.taskId = taskId
        self.patientDtos = patientDtos
    }

    /// The national field names (国家医保接口规范), spelt out so no key is converted at run time.
    enum CodingKeys: String, CodingKey {
        case trigScen = "trig_scen"
        case ruleIds = "rule_ids"
        case taskId = "task_id"
        case patientDtos = "patient_dtos"
    }
}

/// The moments of `trig_scen`: 1-5 before settlement (3101), 6-10 during settlement (3102).
public enum TriggerScenario {
    public static let beforeSettlement = 1...5
    public static let duringSettlement = 6...10
    /// Scenarios that settle: each encounter becomes a claim (outpatient, inpatient, pharmacy settlement).
    public static let settling: Set<Int> = [6, 8, 10]
}

public struct Patient: Codable, Sendable {
    /// The insured person's `psn_no`.
    public var patnId: String
    public var patnName: String?
    /// "1" male, "2" female.
    public var gend: String
    /// "yyyy-MM-dd".
    public var brdy: String
    public var poolarea: String?
    public var currMdtrtId: String?
    public var fsiEncounterDtos: [Encounter]

    public init(patnId: String, patnName: String? = nil, gend: String, brdy: String, poolarea: String? = nil,
                currMdtrtId: String? = nil, fsiEncounterDtos: [Encounter]) {
        self.patnId = patnId
        self.patnName = patnName
        self.gend = gend
        self.brdy = brdy
        self.poolarea = poolarea
        self.currMdtrtId = currMdtrtId
        self.fsiEncounterDtos = fsiEncounterDtos
    }

    /// The national field names (国家医保接口规范), spelt out so no key is converted at run time.
    enum CodingKeys: String, CodingKey {
        case patnId = "patn_id"
        case patnName = "patn_name"
        case gend
        case brdy
        case poolarea
        case currMdtrtId = "curr_mdtrt_id"
        case fsiEncounterDtos = "fsi_encounter_dtos"
    }
}

/// One encounter (就诊) with its diagnoses and fee lines.
public struct Encounter: Codable, Sendable {
    public var mdtrtId: String
    /// Extension: settlement id, present on settlement triggers 6, 8, 10.
    public var setlId: String?
    public var medinsId: String
    public var medinsName: String?
    public var medinsAdmdvs: String?
    public var medinsType: String?
    public var medinsLv: String?
    /// "1" outpatient, "2" inpatient, "3" pharmacy.
    public var medMdtrtType: String
    public var medType: String?
    public var insutype: String?
    /// "yyyy-MM-dd HH:mm:ss".
    public var admDate: String
    public var dscgDate: String
    public var dscgMainDiseCodg: String?
    public var dscgMainDiseName: String?
    /// Attending doctor's `prac_codg`.
    public var drCodg: String?
    public var medfeeSumamt: Decimal
    public var fundPaySumamt: Decimal?
    public var psnCashPay: Decimal?
    public var fsiDiagnoseDtos: [Diagnosis]
    public var fsiOrderDtos: [Order]
    public var fsiOperationDtos: [Operation]?

    public init(mdtrtId: String, setlId: String?, medinsId: String, medMdtrtType: String, admDate: String, dscgDate: String,
                dscgMainDiseCodg: String?, drCodg: String?, medfeeSumamt: Decimal, fundPaySumamt: Decimal? = nil,
                psnCashPay: Decimal? = nil, fsiDiagnoseDtos: [Diagnosis], fsiOrderDtos: [Order]) {
        self.mdtrtId = mdtrtId
        self.setlId = setlId
        self.medinsId = medinsId
        self.medMdtrtType = medMdtrtType
        self.admDate = admDate
        self.dscgDate = dscgDate
        self.dscgMainDiseCodg = dscgMainDiseCodg
        self.drCodg = drCodg
        self.medfeeSumamt = medfeeSumamt
        self.fundPaySumamt = fundPaySumamt
        self.psnCashPay = psnCashPay
        self.fsiDiagnoseDtos = fsiDiagnoseDtos
        self.fsiOrderDtos = fsiOrderDtos
    }

    /// The national field names (国家医保接口规范), spelt out so no key is converted at run time.
    enum CodingKeys: String, CodingKey {
        case mdtrtId = "mdtrt_id"
        case setlId = "setl_id"
        case medinsId = "medins_id"
        case medinsName = "medins_name"
        case medinsAdmdvs = "medins_admdvs"
        case medinsType = "medins_type"
        case medinsLv = "medins_lv"
        case medMdtrtType = "med_mdtrt_type"
        case medType = "med_type"
        case insutype
        case admDate = "adm_date"
        case dscgDate = "dscg_date"
        case dscgMainDiseCodg = "dscg_main_dise_codg"
        case dscgMainDiseName = "dscg_main_dise_name"
        case drCodg = "dr_codg"
        case medfeeSumamt = "medfee_sumamt"
        case fundPaySumamt = "fund_pay_sumamt"
        case psnCashPay = "psn_cash_pay"
        case fsiDiagnoseDtos = "fsi_diagnose_dtos"
        case fsiOrderDtos = "fsi_order_dtos"
        case fsiOperationDtos = "fsi_operation_dtos"
    }
}

public struct Diagnosis: Codable, Sendable {
    public var diseId: String?
    public var inoutDiseType: String?
    /// "1" principal diagnosis.
    public var maindiseFlag: String?
    public var diasSrtNo: FlexibleInt?
    public var diseCodg: String
    public var diseName: String?
    public var diseDate: String?

    public init(diseCodg: String, diseName: String? = nil, maindiseFlag: String? = nil, diseDate: String? = nil) {
        self.diseCodg = diseCodg
        self.diseName = diseName
        self.maindiseFlag = maindiseFlag
        self.diseDate = diseDate
    }

    /// The national field names (国家医保接口规范), spelt out so no key is converted at run time.
    enum CodingKeys: String, CodingKey {
        case diseId = "dise_id"
        case inoutDiseType = "inout_dise_type"
        case maindiseFlag = "maindise_flag"
        case diasSrtNo = "dias_srt_no"
        case diseCodg = "dise_codg"
        case diseName = "dise_name"
        case diseDate = "dise_date"
    }
}

/// A fee line (费用明细).
public struct Order: Codable, Sendable {
    /// Line id, unique within the encounter.
    public var rxId: String
    /// The catalogue code (med_list_codg).
    public var hilistCode: String
    public var hilistName: String?
    /// "101" western drug, "102" patent Chinese drug, "201" service, "301" consumable.
    public var hilistType: String
    public var cnt: Decimal
    public var pric: Decimal
    public var sumamt: Decimal
    public var feeOcurTime: String
    public var drordDrCodg: String?
    /// Extension: the 20-digit traceability code (药品追溯码) of each dispensed package.
    public var drugTracCodg: [String]?

    public init(rxId: String, hilistCode: String, hilistName: String? = nil, hilistType: String, cnt: Decimal, pric: Decimal,
                sumamt: Decimal, feeOcurTime: String, drordDrCodg: String? = nil, drugTracCodg: [String]? = nil) {
        self.rxId = rxId
        self.hilistCode = hilistCode
        self.hilistName = hilistName
        self.hilistType = hilistType
        self.cnt = cnt
        self.pric = pric
        self.sumamt = sumamt
        self.feeOcurTime = feeOcurTime
        self.drordDrCodg = drordDrCodg
        self.drugTracCodg = drugTracCodg
    }

    public var isDrug: Bool { hilistType == "101" || hilistType == "102" }

    /// The national field names (国家医保接口规范), spelt out so no key is converted at run time.
    enum CodingKeys: String, CodingKey {
        case rxId = "rx_id"
        case hilistCode = "hilist_code"
        case hilistName = "hilist_name"
        case hilistType = "hilist_type"
        case cnt
        case pric
        case sumamt
        case feeOcurTime = "fee_ocur_time"
        case drordDrCodg = "drord_dr_codg"
        case drugTracCodg = "drug_trac_codg"
    }
}

public struct Operation: Codable, Sendable {
    public var oprnCode: String
    public var oprnName: String?
    public var mainOprnFlag: String?
    public var oprnDate: String?

    /// The national field names (国家医保接口规范), spelt out so no key is converted at run time.
    enum CodingKeys: String, CodingKey {
        case oprnCode = "oprn_code"
        case oprnName = "oprn_name"
        case mainOprnFlag = "main_oprn_flag"
        case oprnDate = "oprn_date"
    }
}

/// 3101 / 3102 `output`: `{ "result": [...] }`, one entry per finding.
public struct ReviewOutput: Codable, Sendable {
    public var result: [ReviewResult]
    public init(result: [ReviewResult]) { self.result = result }

    /// The national field names (国家医保接口规范), spelt out so no key is converted at run time.
    enum CodingKeys: String, CodingKey {
        case result
    }
}

public struct ReviewResult: Codable, Sendable, Equatable {
    public var jrId: String
    public var ruleId: String
    public var ruleName: String
    /// What is wrong, in words a doctor understands.
    public var volaCont: String
    public var patnId: String
    public var mdtrtId: String
    public var volaAmt: Decimal
    public var volaAmtStas: String
    /// "1" clear violation, "2" suspected, "3" reminder.
    public var sevDeg: String
    /// Evidence and legal basis.
    public var volaEvid: String
    /// The pattern code P01..P23.
    public var volaBhvrType: String
    public var taskId: String?
    public var judgeResultDetailDtos: [ReviewResultDetail]

    public init(jrId: String, ruleId: String, ruleName: String, volaCont: String, patnId: String, mdtrtId: String,
                volaAmt: Decimal, volaAmtStas: String, sevDeg: String, volaEvid: String, volaBhvrType: String,
                taskId: String?, judgeResultDetailDtos: [ReviewResultDetail]) {
        self.jrId = jrId
        self.ruleId = ruleId
        self.ruleName = ruleName
        self.volaCont = volaCont
        self.patnId = patnId
        self.mdtrtId = mdtrtId
        self.volaAmt = volaAmt
        self.volaAmtStas = volaAmtStas
        self.sevDeg = sevDeg
        self.volaEvid = volaEvid
        self.volaBhvrType = volaBhvrType
        self.taskId = taskId
        self.judgeResultDetailDtos = judgeResultDetailDtos
    }

    /// The national field names (国家医保接口规范), spelt out so no key is converted at run time.
    enum CodingKeys: String, CodingKey {
        case jrId = "jr_id"
        case ruleId = "rule_id"
        case ruleName = "rule_name"
        case volaCont = "vola_cont"
        case patnId = "patn_id"
        case mdtrtId = "mdtrt_id"
        case volaAmt = "vola_amt"
        case volaAmtStas = "vola_amt_stas"
        case sevDeg = "sev_deg"
        case volaEvid = "vola_evid"
        case volaBhvrType = "vola_bhvr_type"
        case taskId = "task_id"
        case judgeResultDetailDtos = "judge_result_detail_dtos"
    }
}

public struct ReviewResultDetail: Codable, Sendable, Equatable {
    public var jrdId: String
    public var patnId: String
    public var mdtrtId: String
    public var rxId: String?
    public var volaItemType: String?
    public var volaAmt: Decimal

    public init(jrdId: String, patnId: String, mdtrtId: String, rxId: String?, volaItemType: String?, volaAmt: Decimal) {
        self.jrdId = jrdId
        self.patnId = patnId
        self.mdtrtId = mdtrtId
        self.rxId = rxId
        self.volaItemType = volaItemType
        self.volaAmt = volaAmt
    }

    /// The national field names (国家医保接口规范), spelt out so no key is converted at run time.
    enum CodingKeys: String, CodingKey {
        case jrdId = "jrd_id"
        case patnId = "patn_id"
        case mdtrtId = "mdtrt_id"
        case rxId = "rx_id"
        case volaItemType = "vola_item_type"
        case volaAmt = "vola_amt"
    }
}

/// 3103 `input.data`: the doctor's answer to warnings.
public struct FeedbackInput: Codable, Sendable {
    public var data: FeedbackRequest

    /// The national field names (国家医保接口规范), spelt out so no key is converted at run time.
    enum CodingKeys: String, CodingKey {
        case data
    }
}

public struct FeedbackRequest: Codable, Sendable {
    /// 1 before settlement, 2 during.
    public var warnType: FlexibleInt
    public var warns: [Warning]

    public struct Warning: Codable, Sendable {
        /// The finding's `jr_id`.
        public var warnRsltId: String
        /// "1" go on with the order, "2" go back and change it.
        public var dspoWay: String
        /// Required when `dspo_way` is "1".
        public var dspoWayRea: String?

        /// The national field names (国家医保接口规范), spelt out so no key is converted at run time.
        enum CodingKeys: String, CodingKey {
            case warnRsltId = "warn_rslt_id"
            case dspoWay = "dspo_way"
            case dspoWayRea = "dspo_way_rea"
        }
    }

    /// The national field names (国家医保接口规范), spelt out so no key is converted at run time.
    enum CodingKeys: String, CodingKey {
        case warnType = "warn_type"
        case warns
    }
}

/// An integer that HIS vendors send either as a JSON number or as a numeric string.
public struct FlexibleInt: Codable, Sendable, Equatable {
    public var value: Int
    public init(_ value: Int) { self.value = value }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) {
            value = number
        } else if let text = try? container.decode(String.self), let number = Int(text) {
            value = number
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a whole number")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(String(value))
    }
}
