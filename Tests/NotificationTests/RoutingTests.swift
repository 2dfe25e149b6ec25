import Events
import Foundation
import HummingbirdTesting
import TestSupport
import Kafka
import XCTest
@testable import notification

final class RoutingTests: XCTestCase {
    /// The receivers of a case involving a crime, officials, pricing, drugs and another region,
    /// each with the notice type the rules give it and only the fields its type may see.
    func testRulesRouteByRemitAndEachReceiverGetsOnlyItsFields() async throws {
        let harness = try NotificationHarness()
        try await harness.run { client in
            for (id, type, region) in [("police-hn", "police", "430000"), ("police-cs", "police", "430100"),
                                       ("disc-hn", "disciplineInspection", "430000"), ("market-cs", "marketRegulation", "430100"),
                                       ("drug-cs", "drugAdministration", "430100"), ("health-cs", "healthCommission", "430100"),
                                       ("bureau-cs", "insuranceBureau", "430100"), ("bureau-sz", "insuranceBureau", "440300"),
                                       ("audit-hn", "audit", "430000")] {
                _ = try await client.register(id, type: type, jurisdiction: region)
            }
            _ = try await client.register("inst-h1", type: "institution", jurisdiction: "430102", institution: "H43010200001")
            for (subscriber, amount) in [("audit-hn", 10_000), ("health-cs", 1_000_000)] {
                let answer = try await client.call("/api/subscriptions", .post, json: [
                    "subscriber_id": subscriber, "filter": ["regions": ["430000"], "minimum_amount": amount] as [String: Any]])
                XCTAssertEqual(answer.status, .created, answer.text)
            }
            let decided = Fixture.decided("CASE-ROUTE", insuredRegions: ["440305"], patterns: ["P03", "P12"], police: true, officials: true)
            try await harness.apply(try Fixture.event(decided))

            let deliveries = try await client.call("/api/deliveries?case_id=CASE-ROUTE").array
            let types = Dictionary(uniqueKeysWithValues: deliveries.map { ($0["subscriber_id"] as! String, $0["notice_type"] as! String) })
            XCTAssertEqual(types, ["police-cs": "referral", "disc-hn": "referral", "market-cs": "clueTransfer", "drug-cs": "clueTransfer",
                                   "bureau-cs": "crossRegionCoordination", "bureau-sz": "crossRegionCoordination",
                                   "inst-h1": "rectificationOrder", "audit-hn": "caseNotification"])

            func body(_ subscriber: String) async throws -> (text: String, data: [String: Any], envelope: [String: Any]) {
                let id = DeliveryEnvelope.deliveryID(eventID: decided.eventID, subscriberID: subscriber)
                let envelope = try await client.call("/api/deliveries/\(id)").object["body"] as? [String: Any] ?? [:]
                let text = String(decoding: try JSONSerialization.data(withJSONObject: envelope), as: UTF8.self)
                return (text, envelope["data"] as? [String: Any] ?? [:], envelope)
            }
            func first(_ data: [String: Any], _ field: String) -> [String: Any] { (data[field] as? [[String: Any]])?.first ?? [:] }
            let idNumber = "430102199001011234"

            let police = try await body("police-cs")
            XCTAssertEqual(first(police.data, "persons")["id_number"] as? String, idNumber)
            XCTAssertEqual(first(police.data, "officials")["name"] as? String, "王五")
            XCTAssertEqual(police.data["suspected_crime"] as? Bool, true)

            let discipline = try await body("disc-hn")
            XCTAssertEqual(first(discipline.data, "persons")["name"] as? String, "张*")
            XCTAssertEqual(first(discipline.data, "persons")["id_number"] as? String, "430***********1234")
            XCTAssertEqual(first(discipline.data, "officials")["name"] as? String, "王五")
            for field in ["diagnoses", "traceability_codes", "pricing_items"] { XCTAssertNil(discipline.data[field], field) }

            let market = try await body("market-cs")
            for field in ["persons", "officials", "practitioners", "suspected_crime", "decision_text"] { XCTAssertNil(market.data[field], field) }
            XCTAssertNotNil(market.data["pricing_items"])

            let drug = try await body("drug-cs")
            XCTAssertEqual(first(drug.data, "traceability_codes")["trace_code"] as? String, "81234567890123456789")
            XCTAssertNil(drug.data["diagnoses"])

            let bureau = try await body("bureau-sz")
            XCTAssertEqual(first(bureau.data, "persons")["id_number"] as? String, idNumber)
            XCTAssertNil(bureau.data["officials"])

            let institution = try await body("inst-h1")
            for field in ["suspected_crime", "officials_involved", "officials"] { XCTAssertNil(institution.data[field], field) }
            XCTAssertEqual(first(institution.data, "practitioners")["code"] as? String, "D430100001")
            XCTAssertNotNil(institution.envelope["deadline"], "a rectification order has a deadline")

            for subscriber in ["disc-hn", "market-cs", "drug-cs", "inst-h1", "audit-hn"] {
                try await expectFalse(try await body(subscriber).text.contains(idNumber), "\(subscriber) never sees the identity number")
            }
            for subscriber in ["market-cs", "drug-cs", "inst-h1", "audit-hn", "bureau-sz"] {
                try await expectFalse(try await body(subscriber).text.contains("王五"), "\(subscriber) never learns of the official")
            }
            let expected = deliveries.count
            try await harness.waitUntil("kafka subscribers' events in the outbox") {
                try await harness.count("outbox", where: "topic LIKE 'notify.%'") == expected
            }
            try await expectEqual(try await harness.count("outbox", where: "topic = 'notify.police-cs' AND convert_from(key, 'UTF8') = 'CASE-ROUTE'"), 1)
        }
    }

    /// A penalty without a referral is published anonymised (JSON and Atom); a referral to the
    /// police is not; inspection plans are published; an institution's credit change reaches it.
    func testPublicFeedCreditChangesAndInspectionPlans() async throws {
        let harness = try NotificationHarness()
        try await harness.run { client in
            _ = try await client.register("inst-h1", type: "institution", jurisdiction: "430102", institution: "H43010200001")
            try await harness.apply(try Fixture.event(Fixture.decided("CASE-PUBLIC")))
            try await harness.apply(try Fixture.event(Fixture.decided("CASE-SECRET", police: true)))
            let change = CreditChanged(changeId: "chg-1", subjectKind: "institution", subjectId: "H43010200001", change: "grade", before: "B",
                                       after: "C", reasons: ["CASE-PUBLIC"], caseId: "CASE-PUBLIC", region: "430102",
                                       effectiveFrom: "2025-07-01", effectiveUntil: nil)
            try await harness.apply(try CloudEvent(id: change.eventID, source: "/credit", type: EventType.creditChange, encoding: change))
            try await harness.apply(CloudEvent(id: "plan-2025-1", source: "/credit", type: EventType.inspectionPlan,
                                               data: Array(#"{"plan_id":"PLAN-2025-1","region":"430100","targets":["H43010200001"]}"#.utf8)))

            let cases = try await client.call("/public/cases", token: nil)
            XCTAssertEqual(cases.array.map { $0["case_id"] as? String }, ["CASE-PUBLIC"])
            for secret in ["张三", "430102199001011234", "李四", "王五", "D430100001"] {
                XCTAssertFalse(cases.text.contains(secret), "the public feed shows no \(secret)")
            }
            let atom = try await client.call("/public/cases.atom", token: nil)
            XCTAssertTrue(atom.text.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""))
            XCTAssertTrue(atom.text.contains("CASE-PUBLIC"))
            XCTAssertFalse(atom.text.contains("CASE-SECRET"))
            try await expectEqual(try await client.call("/public/cases/CASE-PUBLIC", token: nil).status, .ok)
            try await expectEqual(try await client.call("/public/inspections", token: nil).array.first?["plan_id"] as? String, "PLAN-2025-1")

            let credit = try await client.call("/api/deliveries?subscriber_id=inst-h1").array
            XCTAssertEqual(Set(credit.compactMap { $0["notice_type"] as? String }), ["rectificationOrder", "creditNotice"])
            try await expectEqual(Set(try await client.call("/api/unrouted").array.compactMap { $0["rule_id"] as? String }), ["R-CRIME", "R-PRICING"],
                                  "nobody covers the referrals to the police and market regulation: the supervisor is told")
        }
    }

    func testOpenAPIDocumentIsServedAndDescribesEveryRoute() async throws {
        let harness = try NotificationHarness()
        let file = try String(contentsOf: TestEnvironment.repositoryRoot.appendingPathComponent("Services/notification/Resources/notification.yaml"),
                              encoding: .utf8)
        try await harness.run { client in
            let served = try await client.call("/openapi.yaml", token: nil)
            XCTAssertEqual(served.status, .ok)
            XCTAssertEqual(served.text, file)
        }
        XCTAssertTrue(file.hasPrefix("openapi: 3.0"))
        XCTAssertEqual(OpenAPICoverage.undocumented(harness.assembly.router(), document: file), [], "routes missing from the document")
    }
}

final class StatisticsFeedTests: XCTestCase {
    func testInstitutionFiguresFromReviewStatisticsReachThePublicFeedLatestFirst() async throws {
        let harness = try NotificationHarness()
        let topic = TestEnvironment.unique("review.statistics")
        @Sendable func figures(_ total: Decimal) throws -> CloudEvent {
            let payload = StatisticsPublished(institutionId: "H43010000001", period: "2026-10", peerGroup: "hospital/3/430100", totalFees: total,
                                              fundPayments: total / 2, encounters: 10, persons: 8, costPerEncounter: total / 10,
                                              costPerPerson: total / 8, drugShare: Decimal(string: "0.3")!, findingsPerPattern: ["P04": 2],
                                              costZScore: 0.5, outlier: false)
            return try CloudEvent(id: "statistics:H43010000001:2026-10:\(total)", source: "/smart-review", type: EventType.statistics, encoding: payload)
        }
        try await harness.run { client in
            let producer = try TestEnvironment.producer()
            for event in [try figures(1000), try figures(1200)] {
                try await producer.send(KafkaProducerMessage(topic: topic, key: Array("H43010000001".utf8), value: event.data, headers: event.kafkaHeaders))
            }
            await producer.shutdown()
            let processor = try harness.assembly.statisticsProcessor(topics: [topic])
            let task = Task { try await processor.run() }
            var body = ""
            for _ in 0..<200 where !body.contains("\"total_fees\": 1200") {
                try await Task.sleep(for: .milliseconds(100))
                body = try await client.call("/public/statistics?period=2026-10", token: nil).text
            }
            task.cancel()
            _ = await task.result
            XCTAssertTrue(body.contains("\"total_fees\": 1200"), body)
            XCTAssertFalse(body.contains("\"total_fees\": 1000"), "the latest figures replace the earlier ones")
        }
    }
}
