import Events
import Foundation
import HISContract
import HummingbirdTesting
import Kafka
import RuleEngine
import TestSupport
import XCTest
@testable import intake

/// A 3101 check of two consultations on one day (P04 under the default rules).
private func duplicateConsult(_ n: Int) -> HISRequest<ReviewInput> {
    Fixture.request(n, infno: "3101", scenario: 2, patients: [Fixture.patient([Fixture.encounter(settlement: nil, lines: [Fixture.consultLine(count: 2)])])])
}

final class RuleFollowerTests: XCTestCase {
    /// smart-review publishes a rule-base version without P04; intake's real-time answers follow
    /// it through Kafka, and a restarted intake resumes with it.
    func testRealTimeAnswersFollowThePublishedRuleBaseAcrossRestarts() async throws {
        let harness = try IntakeHarness()
        let topic = TestEnvironment.unique("rules.published")
        var rules = RuleSet.defaults
        rules.version = 2
        rules.rules[try XCTUnwrap(rules.rules.firstIndex { $0.pattern == "P04" })].enabled = false
        let event = CloudEvent(id: "rules:2", source: "/smart-review", type: EventType.rulesPublished, data: Array(try JSONEncoder().encode(rules)))
        try await harness.run { client, secret in
            let before = try await client.national(duplicateConsult(1), secret: secret)
            XCTAssertEqual(before.patterns, ["P04"])
            let producer = try TestEnvironment.producer()
            try await producer.send(KafkaProducerMessage(topic: topic, key: Array("rules".utf8), value: event.data, headers: event.kafkaHeaders))
            await producer.shutdown()
            let processor = try harness.assembly.rulesProcessor(topics: [topic])
            let task = Task { try await processor.run() }
            var version = 1
            for _ in 0..<300 where version < 2 {
                try await Task.sleep(for: .milliseconds(100))
                version = try harness.assembly.reference.engine.rules.version
            }
            task.cancel()
            _ = await task.result
            let after = try await client.national(duplicateConsult(2), secret: secret)
            XCTAssertEqual(after.patterns, [], "the disabled rule no longer fires in the real-time answer")
        }
        // A new process on the same schema resumes with version 2.
        let restarted = try IntakeHarness(schema: harness.schema).assembly
        try await restarted.runtime.database.withRunning {
            try await restarted.reference.load()
            try await restarted.ruleFollower.restore()
            XCTAssertEqual(try restarted.reference.engine.rules.version, 2)
        }
    }
}
