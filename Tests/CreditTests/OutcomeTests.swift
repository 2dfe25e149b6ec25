import Events
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import XCTest
@testable import credit

final class OutcomeTests: XCTestCase {
    /// End to end through Kafka: the same decided case produced twice changes the file once.
    func testRedeliveredOutcomeThroughKafkaChangesTheFileOnce() async throws {
        let harness = try CreditHarness()
        try await harness.run { client in
            let event = try Cases.decided("K-1", on: "2025-01-10", parties: [Cases.doctor()], points: [Cases.practitioner: 5])
            let marker = try Cases.decided("K-2", on: "2025-01-11", institution: "H43010000002")
            try await harness.consume([event, event, marker]) {
                try await harness.count("entries", where: "entry_id = 'case:K-2'") == 1
            }
            let institutionEntries = try await harness.count("entries", where: "entry_id = 'case:K-1'")
            XCTAssertEqual(institutionEntries, 2, "one entry in the institution's file, one in the doctor's")
            let points = try await harness.count("point_actions", where: "prac_codg = '\(Cases.practitioner)'")
            XCTAssertEqual(points, 1)
            let inbox = try await harness.count("inbox", where: "event_id = '\(event.id)'")
            XCTAssertEqual(inbox, 1)
            let (changes, outbox) = try await harness.changesMatchOutbox()
            XCTAssertEqual(changes, outbox)
            try await client.call("/api/practitioners/\(Cases.practitioner)/points?on=2025-01-10") { answer in
                XCTAssertEqual(field(answer.json, "points_this_year") as? Int, 5)
            }
        }
    }

    func testDirectRedeliveryIsIgnoredByTheInbox() async throws {
        let harness = try CreditHarness()
        try await harness.run { _ in
            let event = try Cases.decided("D-1", on: "2025-01-10", parties: [Cases.doctor()], points: [Cases.practitioner: 3])
            try await harness.deliver(event)
            let before = try await harness.changesMatchOutbox()
            try await harness.deliver(event)
            let after = try await harness.changesMatchOutbox()
            XCTAssertEqual(before.changes, after.changes)
            XCTAssertEqual(after.changes, after.outbox)
            let entries = try await harness.count("entries")
            XCTAssertEqual(entries, 2)
        }
    }

    func testInsuredPersonSuspensionFromArticle41() async throws {
        let harness = try CreditHarness()
        try await harness.run { client in
            let person = CaseDecided.Party(id: "43010000000000000001", kind: "insured_person", role: "insured", insuredRegion: "430100")
            try await harness.deliver(try Cases.decided("P-1", on: "2025-02-01", parties: [person], article: 41, fine: 0,
                                                         handling: ["recover", "suspension"], suspensionMonths: 6))
            let answer = try await client.call("/api/files/insured_person/\(person.id)")
            let suspensions = field(answer.json, "suspensions") as? [[String: Any]]
            XCTAssertEqual(suspensions?.first?["until"] as? String, "2025-08-01")
            let published = try await harness.count("outbox", where: "topic = 'credit.changes' AND key = convert_to('\(person.id)', 'UTF8')")
            XCTAssertEqual(published, 1)
        }
    }
}

