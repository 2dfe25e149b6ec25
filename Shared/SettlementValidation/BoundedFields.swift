import HISContract

/// A string field of the national contract by its national name, for the bounds of the data dictionary.
struct BoundedField {
    enum Value {
        case text(String?)
        case list([String]?)
    }

    let name: String
    let value: Value

    init(_ name: String, _ text: String?) {
        self.name = name
        value = .text(text)
    }

    init(_ name: String, list: [String]?) {
        self.name = name
        value = .list(list)
    }
}

/// The string fields of a record of the contract, listed by hand so the bounds are checked for
/// every settlement without reflection. `DataDictionaryTests` proves by reflection that every
/// string property of these types is listed under its national name: a field added to the
/// contract and not here fails the tests.
protocol BoundedFields {
    var boundedFields: [BoundedField] { get }
}

extension Patient: BoundedFields {
    var boundedFields: [BoundedField] {
        [.init("patn_id", patnId), .init("patn_name", patnName), .init("gend", gend), .init("brdy", brdy), .init("poolarea", poolarea),
         .init("curr_mdtrt_id", currMdtrtId)]
    }
}

extension Encounter: BoundedFields {
    var boundedFields: [BoundedField] {
        [.init("mdtrt_id", mdtrtId), .init("setl_id", setlId), .init("medins_id", medinsId), .init("medins_name", medinsName),
         .init("medins_admdvs", medinsAdmdvs), .init("medins_type", medinsType), .init("medins_lv", medinsLv),
         .init("med_mdtrt_type", medMdtrtType), .init("med_type", medType), .init("insutype", insutype), .init("adm_date", admDate),
         .init("dscg_date", dscgDate), .init("dscg_main_dise_codg", dscgMainDiseCodg), .init("dscg_main_dise_name", dscgMainDiseName),
         .init("dr_codg", drCodg)]
    }
}

extension Diagnosis: BoundedFields {
    var boundedFields: [BoundedField] {
        [.init("dise_id", diseId), .init("inout_dise_type", inoutDiseType), .init("maindise_flag", maindiseFlag), .init("dise_codg", diseCodg),
         .init("dise_name", diseName), .init("dise_date", diseDate)]
    }
}

extension Order: BoundedFields {
    var boundedFields: [BoundedField] {
        [.init("rx_id", rxId), .init("hilist_code", hilistCode), .init("hilist_name", hilistName), .init("hilist_type", hilistType),
         .init("fee_ocur_time", feeOcurTime), .init("drord_dr_codg", drordDrCodg), .init("drug_trac_codg", list: drugTracCodg)]
    }
}

extension Operation: BoundedFields {
    var boundedFields: [BoundedField] {
        [.init("oprn_code", oprnCode), .init("oprn_name", oprnName), .init("main_oprn_flag", mainOprnFlag), .init("oprn_date", oprnDate)]
    }
}

/// A 3101/3102 call's envelope and its request: checked for every settlement call, so listed by
/// hand too (by reflection, `Mirror` was ~65 µs of intake's CPU a call, scripts/profile.sh).
extension HISRequest: BoundedFields {
    var boundedFields: [BoundedField] {
        [.init("infno", infno), .init("msgid", msgid), .init("fixmedins_code", fixmedinsCode), .init("fixmedins_name", fixmedinsName),
         .init("insuplc_admdvs", insuplcAdmdvs), .init("mdtrtarea_admvs", mdtrtareaAdmvs), .init("infver", infver), .init("opter_type", opterType),
         .init("opter", opter), .init("opter_name", opterName), .init("inf_time", infTime)]
    }
}

extension ReviewRequest: BoundedFields {
    var boundedFields: [BoundedField] { [.init("rule_ids", list: ruleIds), .init("task_id", taskId)] }
}
