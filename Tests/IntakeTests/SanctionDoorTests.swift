import Events
import Foundation
import HISContract
import HummingbirdTesting
import Kafka
import RuleEngine
import TestSupport
import XCTest
@testable import intake

/// Credit's sanctions followed from `credit.changes` (real broker and database) at the door: a suspended
/// practitioner's lines are a warning at 3101 and 3102, a suspended insured person is refused direct
/// settlement at 3102 and warned at 3101, each until credit lifts it, and a restart keeps them.
final class SanctionDoorTests: XCTestCase {
    static func creditEvent(_ id: String, kind: String, subject: String, after: String, from: String, until: String? = nil) throws -> CloudEvent {
        try CloudEvent(id: "credit-change:\(id)", source: "/credit", type: EventType.creditChange, encoding: CreditChanged(
            changeId: id, subjectKind: kind, subjectId: subject, change: "suspension", before: nil, after: after, reasons: ["test"],
            caseId: "CASE-\(kind)", region: "430100", effectiveFrom: from, effectiveUntil: until))
    }

    static func follow(_ events: [CloudEvent], _ harness: IntakeHarness, total: Int) async throws {
        let topic = TestEnvironment.unique("credit.changes")
        try TestEnvironment.createTopic(topic, partitions: 1)
        try await TestEnvironment.deliver(events, to: topic, through: try harness.assembly.sanctionsProcessor(topics: [topic])) {
            try await harness.count("credit_sanctions") == total
        }
    }

    static func visit(_ n: Int, infno: String = "3102") -> HISRequest<ReviewInput> {
        let settling = infno == "3102"
        return Fixture.request(n, infno: infno, scenario: settling ? 6 : 2,
                               patients: [Fixture.patient([Fixture.encounter(settlement: settling ? "S\(n)" : nil, lines: [Fixture.consultLine()])])])
    }

    func testSuspensionsTakeEffectAtTheDoorAndEndWhenLifted() async throws {
        let harness = try IntakeHarness()
        try await harness.run { client, secret in
            let clean = try await client.national(Self.visit(1), secret: secret)
            XCTAssertEqual(clean.infcode, 0)
            XCTAssertEqual(clean.patterns, [])

            try await Self.follow([try Self.creditEvent("d1", kind: "practitioner", subject: Fixture.doctor, after: "suspended",
                                                        from: "2026-11-01", until: "2027-05-01")], harness, total: 1)
            let warned = try await client.national(Self.visit(2), secret: secret)
            XCTAssertEqual(warned.infcode, 0, warned.errMsg)
            XCTAssertEqual(warned.patterns, [Finding.suspendedPractitionerPattern], "3102 warns of the suspended doctor")
            let text = try XCTUnwrap(warned.results.first?["vola_cont"] as? String)
            XCTAssertTrue(text.contains("CASE-practitioner") && text.contains("2026-11-01"), text)
            let checked = try await client.national(Self.visit(3, infno: "3101"), secret: secret)
            XCTAssertEqual(checked.patterns, [Finding.suspendedPractitionerPattern], "and so does 3101")

            try await Self.follow([try Self.creditEvent("p1", kind: "insured_person", subject: Fixture.person, after: "suspended",
                                                        from: "2026-10-01", until: "2027-01-01")], harness, total: 2)
            let refused = try await client.national(Self.visit(4), secret: secret)
            XCTAssertEqual(refused.infcode, -1, "3102: direct settlement refused")
            XCTAssertTrue(refused.errMsg.contains("CASE-insured_person") && refused.errMsg.contains("手工报销"), refused.errMsg)
            let claims = try await harness.count("claims")
            XCTAssertEqual(claims, 2, "the refused settlement is not recorded")
            let precheck = try await client.national(Self.visit(5, infno: "3101"), secret: secret)
            XCTAssertEqual(precheck.patterns, [Finding.suspendedPractitionerPattern, Finding.suspendedSettlementPattern], "3101 warns")

            try await Self.follow([try Self.creditEvent("d2", kind: "practitioner", subject: Fixture.doctor, after: "active", from: "2026-11-10"),
                                   try Self.creditEvent("p2", kind: "insured_person", subject: Fixture.person, after: "active", from: "2026-11-10")],
                                  harness, total: 4)
            let lifted = try await client.national(Self.visit(6), secret: secret)
            XCTAssertEqual(lifted.infcode, 0, lifted.errMsg)
            XCTAssertEqual(lifted.patterns, [], "both lifted")
        }
        // A new process on the same schema rebuilds the register from its table.
        let restarted = try IntakeHarness(schema: harness.schema).assembly
        try await restarted.runtime.database.withRunning {
            try await restarted.reference.load()
            try await restarted.sanctionFollower.restore()
            let sanctions = try restarted.reference.engine.sanctions
            XCTAssertEqual(sanctions.sanctions(of: SanctionKey(.practitioner, Fixture.doctor)).map(\.until), [CivilDate("2026-11-10")])
        }
    }
}
