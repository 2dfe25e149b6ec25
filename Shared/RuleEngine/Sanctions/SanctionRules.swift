import Foundation
import HISContract

/// The built-in rules that enforce credit's sanctions, like the unknown-code check: they are not
/// rule-base data (a bureau cannot switch off a decision already taken) and run on every claim,
/// costing one dictionary lookup per line while anyone is sanctioned and nothing otherwise.
enum SanctionRules {
    static let suspendedPractitioner = Rule(
        id: "R-SANCTION-PRACTITIONER", version: 1, pattern: Finding.suspendedPractitionerPattern, name: "暂停医保支付资格期间提供服务",
        severity: .violation,
        legalBasis: "《关于建立定点医药机构相关人员医保支付资格管理制度的指导意见》（医保发〔2024〕23号）：暂停医保支付资格期间，"
            + "其提供服务发生的医保费用不予结算；新医保发〔2023〕71号：对相关责任人员按照医保协议中止医保支付资格",
        explanation: "{items}由医师{doctor}开具（{dates}），该医师的医保支付资格已暂停，{decision}，暂停期间其提供服务发生的医保费用不予结算")

    static let suspendedSettlement = Rule(
        id: "R-SANCTION-SETTLEMENT", version: 1, pattern: Finding.suspendedSettlementPattern, name: "暂停联网结算期间直接结算",
        severity: .violation,
        legalBasis: "《医疗保障基金使用监督管理条例》第四十一条（暂停其医疗费用联网结算3个月至12个月）",
        explanation: "参保人的医疗费用联网结算已暂停，{decision}：本次（{date}）应由参保人全额支付后凭票据手工报销，不得直接结算")

    /// The findings of `claim` under `register`.
    static func hits(_ c: ClaimContext, _ register: SanctionRegister) -> [(Rule, Hit)] {
        guard !register.isEmpty else { return [] }
        var hits = register.hasSanctions(on: .practitioner) ? practitionerHits(c, register).map { (suspendedPractitioner, $0) } : []
        let day = c.claim.discharge.date
        if register.hasSanctions(on: .insuredPerson),
           let sanction = register.inForce(.directSettlementSuspended, on: SanctionKey(.insuredPerson, c.claim.personID), date: day) {
            hits.append((suspendedSettlement, Hit(detailKey: "person:\(sanction.decision)", amount: c.claim.totalAmount,
                                                  values: ["decision": sanction.described, "date": day.description])))
        }
        return hits
    }

    /// One hit per suspended doctor: the lines they ordered on a day their qualification was suspended.
    private static func practitionerHits(_ c: ClaimContext, _ register: SanctionRegister) -> [Hit] {
        var byDoctor: [String: (sanction: Sanction, lines: [Int])] = [:]
        var order: [String] = []
        for (i, resolved) in c.lines.enumerated() {
            guard let doctor = resolved.line.prescriber ?? c.claim.doctor,
                  let sanction = register.inForce(.paymentQualificationSuspended, on: SanctionKey(.practitioner, doctor),
                                                  date: resolved.line.time.date) else { continue }
            if byDoctor[doctor] == nil { order.append(doctor) }
            byDoctor[doctor, default: (sanction: sanction, lines: [])].lines.append(i)
        }
        return order.map { doctor in
            let (sanction, indexes) = byDoctor[doctor]!
            let lines = indexes.map { c.lines[$0] }
            return Hit(detailKey: "doctor:\(doctor)", amount: lines.reduce(Decimal(0)) { $0 + $1.line.amount },
                       lines: c.evidence(indexes),
                       values: ["items": joined(lines.map(\.name)), "doctor": doctor, "decision": sanction.described,
                                "dates": joined(lines.map { $0.line.time.date.description })])
        }
    }
}
