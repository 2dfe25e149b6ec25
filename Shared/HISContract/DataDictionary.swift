/// The bounds of the national payloads (医疗保障信息平台 数据字典): the longest value of every
/// string field, in characters (Unicode scalars, as PostgreSQL's varchar counts them), and the
/// most elements of every list. One table, read by the edge checks (SettlementValidation), by
/// intake's 3103 checks and documented in intake's OpenAPI document; a test holds the three together.
///
/// Codes follow their definitions in the dictionary (人员编号, 就诊ID, 结算ID, 定点医药机构编号 and
/// the other ids are VARCHAR(30), 医保目录编码 VARCHAR(50), 行政区划 6 digits, 字典 codes ≤ 6; the
/// platform's `medins_type` is a word, "hospital" or "pharmacy", bounded like an id);
/// names (名称) are 50 for a person, 200 for an institution, a catalogue item, a diagnosis or an
/// operation; times are the 19 characters of yyyy-MM-dd HH:mm:ss. Free text is bounded at 2,000.
public enum DataDictionary {
    /// Longest value per national field name.
    public static let maxLength: [String: Int] = [
        // Envelope
        "infno": 4, "msgid": 30, "fixmedins_code": 30, "fixmedins_name": 200, "insuplc_admdvs": 6, "mdtrtarea_admvs": 6,
        "infver": 6, "opter_type": 3, "opter": 30, "opter_name": 50, "inf_time": 19,
        // 3101 / 3102 input.data
        "rule_ids": 30, "task_id": 40,
        // patient_dtos[]
        "patn_id": 30, "patn_name": 50, "gend": 6, "brdy": 10, "poolarea": 6, "curr_mdtrt_id": 30,
        // fsi_encounter_dtos[]
        "mdtrt_id": 30, "setl_id": 30, "medins_id": 30, "medins_name": 200, "medins_admdvs": 6, "medins_type": 30,
        "medins_lv": 6, "med_mdtrt_type": 6, "med_type": 6, "insutype": 6, "adm_date": 19, "dscg_date": 19,
        "dscg_main_dise_codg": 30, "dscg_main_dise_name": 200, "dr_codg": 30,
        // fsi_diagnose_dtos[]
        "dise_id": 30, "inout_dise_type": 3, "maindise_flag": 3, "dise_codg": 30, "dise_name": 200, "dise_date": 19,
        // fsi_order_dtos[]
        "rx_id": 30, "hilist_code": 50, "hilist_name": 200, "hilist_type": 6, "fee_ocur_time": 19, "drord_dr_codg": 30,
        "drug_trac_codg": 20,
        // fsi_operation_dtos[]
        "oprn_code": 30, "oprn_name": 200, "main_oprn_flag": 3, "oprn_date": 19,
        // 3103 warns[]
        "warn_rslt_id": 64, "dspo_way": 3, "dspo_way_rea": 2_000,
    ]

    /// Most elements per list. Patients per call is intake's `INTAKE_MAX_PATIENTS` (a deployment
    /// setting, not a dictionary bound); a claim's size as a whole is bounded by the broker's
    /// message size (intake refuses a claim whose event would not fit).
    public static let maxCount: [String: Int] = [
        "rule_ids": 500,
        "fsi_encounter_dtos": 50,       // encounters of one patient in one call
        "encounters_per_call": 5_000,   // all patients' encounters of one call together
        "fsi_diagnose_dtos": 50,
        "fsi_order_dtos": 2_000,        // fee lines of one encounter (a long inpatient stay)
        "fsi_operation_dtos": 50,
        "drug_trac_codg": 1_000,        // one code per dispensed package of a line
        "warns": 500,
    ]

    /// The bound of a field, or nil for one the dictionary does not know (a defect: every string
    /// field of the payloads has an entry, which a test checks).
    public static func length(_ field: String) -> Int? { maxLength[field] }
    public static func count(_ list: String) -> Int { maxCount[list] ?? 0 }

    /// How long a value is in the dictionary's sense, without counting past what matters: a value
    /// whose UTF-8 fits is within any character bound it fits as bytes.
    public static func exceeds(_ value: String, _ limit: Int) -> Bool {
        value.utf8.count > limit && value.unicodeScalars.count > limit
    }
}
