import Foundation
import KnowledgeBase

/// The built-in check that nothing on a claim escapes review: a person, institution, doctor, fee
/// item or diagnosis the knowledge base does not know yields an `UNKNOWN_CODE` finding.
enum UnknownCodes {
    static let rule = Rule(id: "R-UNKNOWN-CODE", version: 1, pattern: Finding.unknownCodePattern, name: "知识库未收录编码",
                           severity: .suspected, legalBasis: "《医疗保障基金使用监督管理条例》第三十八条第（六）项",
                           explanation: "{what}{code}不在知识库中，无法自动审核，请人工核查")

    static func hits(_ c: ClaimContext) -> [Hit] {
        var hits: [Hit] = []
        func add(_ key: String, _ what: String, _ code: String, amount: Decimal, lines: [FindingLine] = []) {
            hits.append(Hit(detailKey: key, amount: amount, lines: lines, values: ["what": what, "code": code]))
        }
        let claim = c.claim
        if c.person == nil { add("person", "参保人编号", claim.personID, amount: claim.totalAmount) }
        if c.institution == nil { add("institution", "定点医药机构编码", claim.institutionID, amount: claim.totalAmount) }
        if let doctor = claim.doctor, c.kb.practitioners[doctor] == nil { add("doctor", "医师编码", doctor, amount: 0) }
        for (i, l) in c.lines.enumerated() where l.drug == nil && l.service == nil {
            let what = switch l.line.type { case .drug: "药品编码"; case .service: "医疗服务项目编码"; case .consumable: "医用耗材编码" }
            add("line:\(l.line.rxID)", what, l.line.code, amount: l.line.amount, lines: c.evidence([i]))
        }
        for code in Set(c.diagnosisCodes).sorted() where c.kb.diagnosisEntry(for: code) == nil {
            add("dx:\(code)", "诊断编码", code, amount: 0)
        }
        return hits
    }
}
