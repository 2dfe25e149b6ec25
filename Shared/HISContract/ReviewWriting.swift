import Foundation

/// The 3101/3102 answers as `HISJSON.encoder` writes them (see `JSONWriter`). Every settlement
/// call is answered at the cashier's desk; Foundation's encoder cost ~200 µs of intake's CPU a
/// call (scripts/profile.sh with every settlement a 3102 call), a fifth of what the call cost.
/// `JSONScannerTests` holds the two to the same bytes.
extension HISResponse where Output == ReviewOutput {
    public var json: [UInt8] {
        var json = JSONWriter(capacity: 512)
        json.object { json in
            json.member("err_msg", errMsg)
            json.member("inf_refmsgid", infRefmsgid)
            json.member("infcode", infcode)
            if let output {
                json.key("output")
                output.write(to: &json)
            }
            json.member("refmsg_time", refmsgTime)
            json.member("respond_time", respondTime)
        }
        return json.bytes
    }
}

extension ReviewOutput {
    func write(to json: inout JSONWriter) {
        json.object { json in
            json.key("result")
            json.array(result) { $1.write(to: &$0) }
        }
    }
}

extension ReviewResult {
    func write(to json: inout JSONWriter) {
        json.object { json in
            json.member("jr_id", jrId)
            json.key("judge_result_detail_dtos")
            json.array(judgeResultDetailDtos) { $1.write(to: &$0) }
            json.member("mdtrt_id", mdtrtId)
            json.member("patn_id", patnId)
            json.member("rule_id", ruleId)
            json.member("rule_name", ruleName)
            json.member("sev_deg", sevDeg)
            json.member("task_id", taskId)
            json.member("vola_amt", volaAmt)
            json.member("vola_amt_stas", volaAmtStas)
            json.member("vola_bhvr_type", volaBhvrType)
            json.member("vola_cont", volaCont)
            json.member("vola_evid", volaEvid)
        }
    }
}

extension ReviewResultDetail {
    func write(to json: inout JSONWriter) {
        json.object { json in
            json.member("jrd_id", jrdId)
            json.member("mdtrt_id", mdtrtId)
            json.member("patn_id", patnId)
            json.member("rx_id", rxId)
            json.member("vola_amt", volaAmt)
            json.member("vola_item_type", volaItemType)
        }
    }
}
