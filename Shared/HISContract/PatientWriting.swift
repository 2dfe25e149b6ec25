import Foundation

/// The national records as `HISJSON.encoder` writes them (see `JSONWriter`): members in sorted
/// key order, which `JSONScannerTests` checks against Foundation's encoder byte for byte.
extension Patient {
    public var json: [UInt8] {
        var writer = JSONWriter()
        write(to: &writer)
        return writer.bytes
    }

    public func write(to json: inout JSONWriter) {
        json.object { json in
            json.member("brdy", brdy)
            json.member("curr_mdtrt_id", currMdtrtId)
            json.key("fsi_encounter_dtos")
            json.array(fsiEncounterDtos) { $1.write(to: &$0) }
            json.member("gend", gend)
            json.member("patn_id", patnId)
            json.member("patn_name", patnName)
            json.member("poolarea", poolarea)
        }
    }
}

extension Encounter {
    func write(to json: inout JSONWriter) {
        json.object { json in
            json.member("adm_date", admDate)
            json.member("dr_codg", drCodg)
            json.member("dscg_date", dscgDate)
            json.member("dscg_main_dise_codg", dscgMainDiseCodg)
            json.member("dscg_main_dise_name", dscgMainDiseName)
            json.key("fsi_diagnose_dtos")
            json.array(fsiDiagnoseDtos) { $1.write(to: &$0) }
            if let fsiOperationDtos {
                json.key("fsi_operation_dtos")
                json.array(fsiOperationDtos) { $1.write(to: &$0) }
            }
            json.key("fsi_order_dtos")
            json.array(fsiOrderDtos) { $1.write(to: &$0) }
            json.member("fund_pay_sumamt", fundPaySumamt)
            json.member("insutype", insutype)
            json.member("mdtrt_id", mdtrtId)
            json.member("med_mdtrt_type", medMdtrtType)
            json.member("med_type", medType)
            json.member("medfee_sumamt", medfeeSumamt)
            json.member("medins_admdvs", medinsAdmdvs)
            json.member("medins_id", medinsId)
            json.member("medins_lv", medinsLv)
            json.member("medins_name", medinsName)
            json.member("medins_type", medinsType)
            json.member("psn_cash_pay", psnCashPay)
            json.member("setl_id", setlId)
        }
    }
}

extension Diagnosis {
    func write(to json: inout JSONWriter) {
        json.object { json in
            json.member("dias_srt_no", diasSrtNo.map { String($0.value) })
            json.member("dise_codg", diseCodg)
            json.member("dise_date", diseDate)
            json.member("dise_id", diseId)
            json.member("dise_name", diseName)
            json.member("inout_dise_type", inoutDiseType)
            json.member("maindise_flag", maindiseFlag)
        }
    }
}

extension Order {
    func write(to json: inout JSONWriter) {
        json.object { json in
            json.member("cnt", cnt)
            json.member("drord_dr_codg", drordDrCodg)
            json.member("drug_trac_codg", drugTracCodg)
            json.member("fee_ocur_time", feeOcurTime)
            json.member("hilist_code", hilistCode)
            json.member("hilist_name", hilistName)
            json.member("hilist_type", hilistType)
            json.member("pric", pric)
            json.member("rx_id", rxId)
            json.member("sumamt", sumamt)
        }
    }
}

extension Operation {
    func write(to json: inout JSONWriter) {
        json.object { json in
            json.member("main_oprn_flag", mainOprnFlag)
            json.member("oprn_code", oprnCode)
            json.member("oprn_date", oprnDate)
            json.member("oprn_name", oprnName)
        }
    }
}
