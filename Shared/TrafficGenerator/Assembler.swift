import Foundation
import HISContract
import KnowledgeBase
import RuleEngine

/// Turns drafts into 3102 settlements (ids, sums, payment split) and books them in the session.
extension Session {
    /// Emits the draft and records who was busy, doctor loads and sold codes.
    @discardableResult
    func commit(_ draft: Draft, gap: Int = Session.cleanGap, visitAllowed: Bool = true) -> LabeledSettlement {
        var draft = draft
        if draft.kind == .pharmacy, !draft.prescribed { prescribe(&draft, visitAllowed: visitAllowed) }
        let settlement = assemble(draft)
        output.append(settlement)
        if draft.kind != .pharmacy {
            visits[draft.person.id, default: []].append((draft.doctor, draft.admission, draft.kind == .outpatient ? draft.admission : draft.discharge))
        }
        occupy(draft.person, until: draft.discharge, gap: gap, admitted: draft.kind == .inpatient ? [draft.admission] : [])
        if draft.kind == .outpatient {
            doctorDays[doctorDayKey(draft.doctor, draft.admission.date), default: 0] += 1
            doctorDayClaims[doctorDayKey(draft.doctor, draft.admission.date), default: []].append(output.count - 1)
        }
        for line in draft.lines where line.isDrug {
            // Only the drug's own codes: a switched package (P12) must not be "resold" as this drug later.
            for code in line.traceCodes where code.hasPrefix(kb.drugs[line.code]?.tracePrefix ?? "-") { sold[line.code, default: []].append((code, draft.discharge.secondsSinceEpoch, output.count - 1)) }
        }
        return settlement
    }

    func assemble(_ draft: Draft) -> LabeledSettlement {
        let seq = nextSequence()
        let id = String(format: "%010d", seq)
        let mdtrt = "MD\(draft.institution.code)\(id)"
        let orders = draft.lines.enumerated().map { i, l in
            Order(rxId: "\(mdtrt)-\(i + 1)", hilistCode: l.code, hilistName: l.name, hilistType: l.isDrug ? "101" : "201",
                  cnt: l.count, pric: l.price, sumamt: fen(l.count * l.price), feeOcurTime: l.time.description,
                  drordDrCodg: draft.kind == .pharmacy ? l.prescriber : draft.doctor, drugTracCodg: l.isDrug ? l.traceCodes : nil)
        }
        let total = orders.reduce(Decimal(0)) { $0 + $1.sumamt }
        let fund = fen(total * Decimal(string: "0.7")!)
        let diagnoses = draft.diagnoses.enumerated().map { i, code in
            Diagnosis(diseCodg: code, diseName: kb.diagnoses[code]?.name, maindiseFlag: i == 0 ? "1" : "0",
                      diseDate: draft.admission.date.description)
        }
        var encounter = Encounter(mdtrtId: mdtrt, setlId: "ST\(draft.institution.code)\(id)", medinsId: draft.institution.code,
                                  medMdtrtType: draft.kind == .outpatient ? "1" : draft.kind == .inpatient ? "2" : "3",
                                  admDate: draft.admission.description, dscgDate: draft.discharge.description,
                                  dscgMainDiseCodg: draft.diagnoses.first, drCodg: draft.doctor, medfeeSumamt: total,
                                  fundPaySumamt: fund, psnCashPay: total - fund, fsiDiagnoseDtos: diagnoses, fsiOrderDtos: orders)
        encounter.medinsName = draft.institution.name
        encounter.medinsAdmdvs = draft.institution.admdvs
        encounter.medinsType = draft.institution.type.rawValue
        encounter.medinsLv = String(draft.institution.level)
        encounter.insutype = draft.person.insuranceType
        encounter.dscgMainDiseName = draft.diagnoses.first.flatMap { kb.diagnoses[$0]?.name }
        let patient = Patient(patnId: draft.person.id, patnName: draft.person.name, gend: draft.claimedSex.gend,
                              brdy: draft.claimedBirth.description, poolarea: draft.person.insuredRegion,
                              currMdtrtId: mdtrt, fsiEncounterDtos: [encounter])
        var settlement = LabeledSettlement(patient: patient, expectedPatterns: draft.expected, settlementTime: draft.discharge,
                                           msgid: draft.institution.code + compact(draft.discharge) + String(format: "%04d", seq % 10_000))
        settlement.incidents = draft.incidents
        return settlement
    }

    /// A corrected settlement of `original` (冲红重结): a new `setl_id` for the same encounter carrying the
    /// original lines and a refund line (negative `cnt`) taking back one unit of a line billed at least
    /// twice, settled a little later; it supersedes the original. nil when no line can be refunded.
    func correction(of original: LabeledSettlement) -> LabeledSettlement? {
        var encounter = original.encounter
        let refundable = encounter.fsiOrderDtos.indices.filter { encounter.fsiOrderDtos[$0].cnt >= 2 }
        guard let i = rng.pick(refundable) else { return nil }
        var refund = encounter.fsiOrderDtos[i]
        refund.rxId += "-R"
        refund.cnt = -1
        refund.sumamt = -refund.pric
        refund.drugTracCodg = nil
        encounter.fsiOrderDtos.append(refund)
        let seq = nextSequence()
        encounter.setlId = "ST\(encounter.medinsId)\(String(format: "%010d", seq))"
        encounter.medfeeSumamt = encounter.fsiOrderDtos.reduce(0) { $0 + $1.sumamt }
        let fund = fen(encounter.medfeeSumamt * Decimal(string: "0.7")!)
        encounter.fundPaySumamt = fund
        encounter.psnCashPay = encounter.medfeeSumamt - fund
        var patient = original.patient
        patient.fsiEncounterDtos = [encounter]
        let at = original.settlementTime.adding(seconds: rng.int(3600...(2 * 86_400)))
        var corrected = LabeledSettlement(patient: patient, expectedPatterns: [], settlementTime: at,
                                          msgid: encounter.medinsId + compact(at) + String(format: "%04d", seq % 10_000))
        corrected.supersedes = original.claimID
        return corrected
    }

    private func fen(_ value: Decimal) -> Decimal {
        var input = value, result = Decimal()
        NSDecimalRound(&result, &input, 2, .plain)
        return result
    }

    /// yyyyMMddHHmmss.
    private func compact(_ t: CivilDateTime) -> String {
        t.description.filter { $0.isNumber }
    }
}
