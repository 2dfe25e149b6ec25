import HISContract

/// A string field's value as a record holds it: one text, or a list of them.
enum FieldValue {
    case text(String?)
    case list([String]?)
}

/// A string field of a record type: its national name, its bounds as the data dictionary gives
/// them, and how to read it from a record. Made once per type (`BoundedFields.fieldBounds`), so
/// the check of each record looks nothing up: the dictionary's table was hashed twice for every
/// field of every fee line (~4 µs a claim of intake's ~30 µs of checks, `medsup-bench edge`).
struct FieldBound<Record>: Sendable {
    let name: String
    /// The longest value; nil when the dictionary has no bound for the field (a defect that the
    /// check names, see `RecordLimits`).
    let length: Int?
    /// The most elements, for a list.
    let count: Int
    let read: @Sendable (Record) -> FieldValue

    init(_ name: String, _ text: @escaping @Sendable (Record) -> String?) {
        self.init(name) { .text(text($0)) }
    }

    init(_ name: String, list: @escaping @Sendable (Record) -> [String]?) {
        self.init(name) { .list(list($0)) }
    }

    private init(_ name: String, read: @escaping @Sendable (Record) -> FieldValue) {
        self.name = name
        length = DataDictionary.length(name)
        count = DataDictionary.count(name)
        self.read = read
    }

    /// Cheap first: a field without a bound is an issue too (`RecordLimits` names it).
    func exceeded(by text: String) -> Bool {
        guard let length else { return true }
        return text.utf8.count > length && DataDictionary.exceeds(text, length)
    }
}

/// The string fields of a record of the contract, listed by hand so the bounds are checked for
/// every settlement without reflection. `BoundedFieldsTests` proves by reflection that every
/// string property of these types is listed under its national name: a field added to the
/// contract and not here fails the tests.
protocol BoundedFields {
    static var fieldBounds: [FieldBound<Self>] { get }
}

extension Patient: BoundedFields {
    static let fieldBounds: [FieldBound<Patient>] = [
        .init("patn_id") { $0.patnId }, .init("patn_name") { $0.patnName }, .init("gend") { $0.gend }, .init("brdy") { $0.brdy },
        .init("poolarea") { $0.poolarea }, .init("curr_mdtrt_id") { $0.currMdtrtId },
    ]
}

extension Encounter: BoundedFields {
    static let fieldBounds: [FieldBound<Encounter>] = [
        .init("mdtrt_id") { $0.mdtrtId }, .init("setl_id") { $0.setlId }, .init("medins_id") { $0.medinsId },
        .init("medins_name") { $0.medinsName }, .init("medins_admdvs") { $0.medinsAdmdvs }, .init("medins_type") { $0.medinsType },
        .init("medins_lv") { $0.medinsLv }, .init("med_mdtrt_type") { $0.medMdtrtType }, .init("med_type") { $0.medType },
        .init("insutype") { $0.insutype }, .init("adm_date") { $0.admDate }, .init("dscg_date") { $0.dscgDate },
        .init("dscg_main_dise_codg") { $0.dscgMainDiseCodg }, .init("dscg_main_dise_name") { $0.dscgMainDiseName },
        .init("dr_codg") { $0.drCodg },
    ]
}

extension Diagnosis: BoundedFields {
    static let fieldBounds: [FieldBound<Diagnosis>] = [
        .init("dise_id") { $0.diseId }, .init("inout_dise_type") { $0.inoutDiseType }, .init("maindise_flag") { $0.maindiseFlag },
        .init("dise_codg") { $0.diseCodg }, .init("dise_name") { $0.diseName }, .init("dise_date") { $0.diseDate },
    ]
}

extension Order: BoundedFields {
    static let fieldBounds: [FieldBound<Order>] = [
        .init("rx_id") { $0.rxId }, .init("hilist_code") { $0.hilistCode }, .init("hilist_name") { $0.hilistName },
        .init("hilist_type") { $0.hilistType }, .init("fee_ocur_time") { $0.feeOcurTime }, .init("drord_dr_codg") { $0.drordDrCodg },
        .init("drug_trac_codg", list: { $0.drugTracCodg }),
    ]
}

extension Operation: BoundedFields {
    static let fieldBounds: [FieldBound<Operation>] = [
        .init("oprn_code") { $0.oprnCode }, .init("oprn_name") { $0.oprnName }, .init("main_oprn_flag") { $0.mainOprnFlag },
        .init("oprn_date") { $0.oprnDate },
    ]
}

/// A 3101/3102 call's envelope and its request: checked for every settlement call, so listed by
/// hand too (by reflection, `Mirror` was ~65 µs of intake's CPU a call, scripts/profile.sh). Made
/// per call: a generic type has no stored statics.
extension HISRequest: BoundedFields {
    static var fieldBounds: [FieldBound<HISRequest>] {
        [.init("infno") { $0.infno }, .init("msgid") { $0.msgid }, .init("fixmedins_code") { $0.fixmedinsCode },
         .init("fixmedins_name") { $0.fixmedinsName }, .init("insuplc_admdvs") { $0.insuplcAdmdvs },
         .init("mdtrtarea_admvs") { $0.mdtrtareaAdmvs }, .init("infver") { $0.infver }, .init("opter_type") { $0.opterType },
         .init("opter") { $0.opter }, .init("opter_name") { $0.opterName }, .init("inf_time") { $0.infTime }]
    }
}

extension ReviewRequest: BoundedFields {
    static let fieldBounds: [FieldBound<ReviewRequest>] = [.init("rule_ids", list: { $0.ruleIds }), .init("task_id") { $0.taskId }]
}
