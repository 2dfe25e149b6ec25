import Events
import Foundation

/// Source events as smart-review and credit publish them.
enum Fixture {
    static func decided(_ caseID: String, careRegion: String = "430102", insuredRegions: [String] = ["430102"],
                        patterns: [String] = ["P03"], police: Bool = false, officials: Bool = false,
                        handling: [String] = ["recover", "fine"]) -> CaseDecided {
        CaseDecided(
            caseId: caseID, institutionId: "H43010200001", institutionName: "长沙市某某医院", careRegion: careRegion,
            insuredRegions: insuredRegions, claimIds: ["c1"], findingIds: ["f1"],
            parties: [
                .init(id: "430102199001011234", kind: "insured_person", role: "insured", name: "张三", insuredRegion: insuredRegions.first),
                .init(id: "D430100001", kind: "practitioner", role: "attending_doctor", name: "李四"),
                .init(id: "430102197001015678", kind: "public_official", role: "official", name: "王五"),
            ],
            patterns: patterns, severity: .violation, amount: Decimal(string: "12345.60")!, fine: 1000, article: 38, handling: handling,
            suspensionMonths: nil, practitionerPoints: [:], fraud: police, legalBasis: "《医疗保障基金使用监督管理条例》第三十八条",
            referToPolice: police, publicOfficialsInvolved: officials, decidedAt: Date(timeIntervalSince1970: 1_750_000_000),
            legalReviewer: "赵法", traceabilityCodes: ["81234567890123456789"])
    }

    static func event(_ decided: CaseDecided) throws -> CloudEvent {
        try CloudEvent(id: decided.eventID, source: "/smart-review", type: EventType.outcome, encoding: decided)
    }
}
