import Foundation
import NotificationRules

/// The data the tests share: one case with every kind of field, and a directory of receivers
/// around Nanjing (320100) with a Beijing bureau for the insured person's home region.
enum Fixtures {
    /// 2025-03-01 10:00 China Standard Time.
    static let decisionDate = Date(timeIntervalSince1970: 1_740_794_400)

    static let insuredId = "110105199003074512"
    static let officialId = "320102198001011234"
    static let representativeId = "320102197505053456"

    static let institution = InstitutionRef(code: "H32010200001", name: "南京某某医院")

    static func notice(
        kind: NoticeKind = .caseOutcome, careRegion: String = "320102", insuredRegions: [String] = ["320102", "110105"],
        patterns: [String] = ["P03", "P13"], gravity: Gravity = .serious, amount: Decimal = Decimal(string: "125000.5")!,
        handling: [HandlingMeasure] = [.fine, .recovery], suspectedCrime: Bool = true, officialsInvolved: Bool = true
    ) -> CaseNotice {
        CaseNotice(
            caseId: "C-2025-0001", kind: kind, institution: institution, careRegion: careRegion,
            insuredRegions: insuredRegions, patterns: patterns, gravity: gravity, amount: amount, handling: handling,
            decisionDate: decisionDate, suspectedCrime: suspectedCrime, officialsInvolved: officialsInvolved,
            persons: [
                PersonInvolved(name: "张三", idNumber: insuredId, role: .insured, insuredRegion: "110105"),
                PersonInvolved(name: "李四", idNumber: officialId, role: .publicOfficial),
                PersonInvolved(name: "王五", idNumber: representativeId, role: .legalRepresentative),
            ],
            practitioners: [
                Practitioner(name: "赵六", code: "D32010200000123", profession: .doctor),
                Practitioner(name: "钱七", code: "Y32010200000456", profession: .pharmacist),
            ],
            diagnoses: [Diagnosis(code: "E11.900", name: "2型糖尿病")],
            traceabilityCodes: [TraceabilityRecord(drugCode: "XA10BAA001", drugName: "二甲双胍片", traceCode: "86901234567890123456")],
            pricingItems: [PricingItem(itemCode: "001203000010000", itemName: "静脉输液", billedPrice: 20, standardPrice: 12,
                                       quantity: 10, excessAmount: 80)],
            legalBasis: ["《医疗保障基金使用监督管理条例》第三十八条"],
            decisionText: "经查，张三（身份证号\(insuredId)）……")
    }

    static func subscriber(_ id: String, _ type: SubscriberType, _ jurisdiction: String, institution: String? = nil) -> Subscriber {
        Subscriber(id: id, type: type, name: id, jurisdiction: jurisdiction, institutionCode: institution)
    }

    /// Every receiver registered with a filter that asks for nothing it would not get by rule
    /// (`SubscriptionFilter.nothing`), so that routing alone decides.
    static func registration(_ subscriber: Subscriber) -> Subscription {
        Subscription(id: "reg-" + subscriber.id, subscriber: subscriber, filter: SubscriptionFilter.nothing)
    }

    static let directory: [Subscriber] = [
        subscriber("police-320102", .police, "320102"),
        subscriber("police-320100", .police, "320100"),
        subscriber("discipline-320100", .disciplineInspection, "320100"),
        subscriber("market-320100", .marketRegulation, "320100"),
        subscriber("drug-320000", .drugAdministration, "320000"),
        subscriber("health-320100", .healthCommission, "320100"),
        subscriber("audit-320100", .audit, "320100"),
        subscriber("bureau-320100", .insuranceBureau, "320100"),
        subscriber("bureau-110000", .insuranceBureau, "110000"),
        subscriber("inst-H32010200001", .institution, "320102", institution: "H32010200001"),
        subscriber("inst-H32010200002", .institution, "320102", institution: "H32010200002"),
        subscriber("public-320100", .publicFeed, "320100"),
    ]

    static var registrations: [Subscription] { directory.map(registration) }
}
