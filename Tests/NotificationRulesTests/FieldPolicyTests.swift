import Foundation
import NotificationRules
import XCTest

/// Field by field, per receiver: the keys each type gets for a case that has every field.
final class FieldPolicyTests: XCTestCase {
    private let common: Set<String> = ["caseId", "kind", "institutionCode", "institutionName", "careRegion", "patterns",
                                       "amount", "handling", "decisionDate", "legalBasis"]

    private func keys(_ type: SubscriberType) -> Set<String> { Set(minimise(Fixtures.notice(), for: type).keys) }

    func testKeysOfEveryType() {
        XCTAssertEqual(keys(.police), Set(NoticeField.allCases.map(\.rawValue)))
        XCTAssertEqual(keys(.disciplineInspection), common.union(["insuredRegions", "gravity", "suspectedCrime", "officialsInvolved",
                                                                  "persons", "officials", "practitioners", "decisionText"]))
        XCTAssertEqual(keys(.healthCommission), common.union(["gravity", "persons", "practitioners", "diagnoses"]))
        XCTAssertEqual(keys(.marketRegulation), common.union(["gravity", "pricingItems"]))
        XCTAssertEqual(keys(.drugAdministration), common.union(["gravity", "persons", "practitioners", "traceabilityCodes"]))
        XCTAssertEqual(keys(.audit), common.union(["insuredRegions", "gravity", "persons", "practitioners", "pricingItems"]))
        XCTAssertEqual(keys(.insuranceBureau), common.union(["insuredRegions", "gravity", "suspectedCrime", "persons", "practitioners",
                                                             "diagnoses", "traceabilityCodes", "pricingItems", "decisionText"]))
        XCTAssertEqual(keys(.institution), common.union(["gravity", "persons", "practitioners", "diagnoses", "traceabilityCodes",
                                                         "pricingItems", "decisionText"]))
        XCTAssertEqual(keys(.publicFeed), common.union(["persons", "practitioners"]))
    }

    func testEveryDefaultPolicyDecidesEveryField() {
        for type in SubscriberType.allCases {
            XCTAssertEqual(FieldPolicies.defaults.policy(for: type).undecided, [], "\(type)")
        }
    }

    func testUndecidedFieldIsExcludedAndMaskingNonPersonalFieldFailsClosed() {
        var policy = FieldPolicies.defaults.policy(for: .police)
        policy.decisions[.diagnoses] = nil
        policy.decisions[.pricingItems] = .masked
        let payload = minimise(Fixtures.notice(), for: .police, policies: FieldPolicies([.police: policy]))
        XCTAssertNil(payload["diagnoses"])
        XCTAssertNil(payload["pricingItems"])
        XCTAssertEqual(policy.undecided, [.diagnoses])
        XCTAssertEqual(minimise(Fixtures.notice(), for: .audit, policies: FieldPolicies([:])), [:], "no policy, nothing")
    }

    func testPoliceGetIdentitiesAndAmounts() {
        let payload = minimise(Fixtures.notice(), for: .police)
        let persons = payload["persons"]?.arrayValue ?? []
        XCTAssertEqual(persons.map { $0["idNumber"]?.stringValue }, [Fixtures.insuredId, Fixtures.representativeId])
        XCTAssertEqual(persons.first?["name"], .string("张三"))
        XCTAssertEqual(persons.first?["insuredRegion"], .string("110105"))
        XCTAssertEqual(payload["officials"]?.arrayValue?.first?["idNumber"], .string(Fixtures.officialId))
        XCTAssertEqual(payload["amount"], .number(Decimal(string: "125000.5")!))
        XCTAssertEqual(payload["suspectedCrime"], .bool(true))
        XCTAssertEqual(payload["decisionDate"], .string("2025-03-01T02:00:00Z"))
    }

    func testDisciplineInspectionGetsOfficialsInFullOthersMasked() {
        let payload = minimise(Fixtures.notice(), for: .disciplineInspection)
        XCTAssertEqual(payload["officials"]?.arrayValue,
                       [.object(["name": "李四", "idNumber": .string(Fixtures.officialId), "role": "publicOfficial"])])
        XCTAssertEqual(payload["persons"]?.arrayValue?.first?["idNumber"], .string("110***********4512"))
        XCTAssertEqual(payload["persons"]?.arrayValue?.first?["name"], .string("张*"))
    }

    func testHealthCommissionGetsPractitionersAndDiagnosesButNoPricesOrCodes() {
        let payload = minimise(Fixtures.notice(), for: .healthCommission)
        XCTAssertEqual(payload["practitioners"]?.arrayValue?.first,
                       .object(["name": "赵六", "code": "D32010200000123", "profession": "doctor"]))
        XCTAssertEqual(payload["diagnoses"]?.arrayValue, [.object(["code": "E11.900", "name": "2型糖尿病"])])
        XCTAssertEqual(payload["persons"]?.arrayValue?.first?["idNumber"], .string("110***********4512"))
    }

    func testMarketRegulationGetsPricingItemsWithoutDiagnosesOrPersons() {
        let payload = minimise(Fixtures.notice(), for: .marketRegulation)
        XCTAssertEqual(payload["pricingItems"]?.arrayValue, [.object([
            "itemCode": "001203000010000", "itemName": "静脉输液", "billedPrice": .number(20), "standardPrice": .number(12),
            "quantity": .number(10), "excessAmount": .number(80),
        ])])
        XCTAssertNil(payload["diagnoses"])
        XCTAssertNil(payload["persons"])
        XCTAssertNil(payload["practitioners"])
    }

    func testDrugAdministrationGetsTraceabilityCodesButNotDiagnoses() {
        let payload = minimise(Fixtures.notice(), for: .drugAdministration)
        XCTAssertEqual(payload["traceabilityCodes"]?.arrayValue,
                       [.object(["drugCode": "XA10BAA001", "drugName": "二甲双胍片", "traceCode": "86901234567890123456"])])
        XCTAssertNil(payload["diagnoses"])
        XCTAssertNil(payload["pricingItems"])
        XCTAssertEqual(payload["practitioners"]?.arrayValue?[1]["code"], .string("Y32010200000456"), "pharmacists in full")
        XCTAssertEqual(payload["persons"]?.arrayValue?.first?["name"], .string("张*"))
    }

    func testAuditGetsMaskedPersonsAndPractitioners() {
        let payload = minimise(Fixtures.notice(), for: .audit)
        XCTAssertEqual(payload["practitioners"]?.arrayValue?.first,
                       .object(["name": "赵*", "code": "D32********0123", "profession": "doctor"]))
        XCTAssertNil(payload["decisionText"])
    }

    func testOtherBureauGetsItsInsuredPersonsInFull() {
        let payload = minimise(Fixtures.notice(), for: .insuranceBureau)
        XCTAssertEqual(payload["persons"]?.arrayValue?.first?["idNumber"], .string(Fixtures.insuredId))
        XCTAssertEqual(payload["insuredRegions"], .array(["320102", "110105"]))
        XCTAssertNil(payload["officials"])
    }

    func testInstitutionGetsItsCaseWithOtherPersonsMaskedAndNoReferralFlags() {
        let payload = minimise(Fixtures.notice(), for: .institution)
        let ids = payload["persons"]?.arrayValue?.compactMap { $0["idNumber"]?.stringValue }
        XCTAssertEqual(ids, ["110***********4512", "320***********3456"])
        XCTAssertEqual(payload["practitioners"]?.arrayValue?.first?["code"], .string("D32010200000123"), "its own staff")
        XCTAssertNil(payload["suspectedCrime"])
        XCTAssertNil(payload["officialsInvolved"])
        XCTAssertNil(payload["officials"])
    }

    func testPublicFeedCarriesNoPersonalIdentifiers() throws {
        let payload = minimise(Fixtures.notice(), for: .publicFeed)
        XCTAssertEqual(payload["persons"]?.arrayValue,
                       [.object(["name": "张某", "role": "insured"]), .object(["name": "王某", "role": "legalRepresentative"])])
        XCTAssertEqual(payload["practitioners"]?.arrayValue?.first, .object(["name": "赵某", "profession": "doctor"]))
        XCTAssertEqual(payload["institutionName"], .string("南京某某医院"))
        let json = String(decoding: try JSONEncoder().encode(payload), as: UTF8.self)
        for secret in [Fixtures.insuredId, Fixtures.officialId, Fixtures.representativeId, "张三", "李四", "D32010200000123",
                       "E11.900", "86901234567890123456", "110105"] {
            XCTAssertFalse(json.contains(secret), secret)
        }
    }

    func testMasking() {
        XCTAssertEqual(Masking.maskName("欧阳娜娜"), "欧***")
        XCTAssertEqual(Masking.maskName("张"), "张*")
        XCTAssertEqual(Masking.anonymiseName("欧阳娜娜"), "欧某")
        XCTAssertEqual(Masking.maskIdentifier("110101199003074512"), "110***********4512")
        XCTAssertEqual(Masking.maskIdentifier("1234567890123"), "*************", "too short to show seven characters")
    }

    func testPayloadRoundTripsAsJSON() throws {
        let payload = minimise(Fixtures.notice(), for: .police)
        let decoded = try JSONDecoder().decode([String: JSONValue].self, from: JSONEncoder().encode(payload))
        XCTAssertEqual(decoded, payload)
    }
}
