import Foundation
import HISContract
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import TestSupport
import XCTest
@testable import intake

/// A backfill's claims are recorded in several lanes at once (`INTAKE_BULK_LANES`, two by
/// default), while its later lines are still being checked; an encounter always takes the same
/// lane, so its settlements are numbered in the order of the file however far apart they are.
final class BulkLaneTests: XCTestCase {
    func testAnEncountersSettlementsKeepTheFilesOrderAcrossLanesAndTurns() async throws {
        let harness = try IntakeHarness()
        XCTAssertGreaterThan(harness.assembly.configuration.bulkLanes, 1)
        try await harness.run { client, secret in
            let encounters = (0..<301).map { _ in Fixture.uniqueEncounterID() }
            let lanes = Set(encounters.map { BulkIntake.lane(of: Fixture.encounter($0), lanes: harness.assembly.configuration.bulkLanes) })
            XCTAssertEqual(lanes.count, harness.assembly.configuration.bulkLanes, "the file spans every lane")
            // Each encounter settled, corrected 301 lines later and again 301 lines after that: the
            // three are handed to the lanes in different turns of the checks (256 lines a turn).
            let lines = try ["S1", "S2", "S3"].flatMap { settlement in
                try encounters.map { String(decoding: try HISJSON.encoder.encode(Fixture.patient([Fixture.encounter($0, settlement: settlement)])), as: UTF8.self) }
            }
            let headers: HTTPFields = [.authorization: "Bearer \(Fixture.institution):\(secret)"]
            try await client.execute(uri: "/api/his/bulk?batch=lanes", method: .post, headers: headers,
                                     body: ByteBuffer(string: lines.joined(separator: "\n"))) { response in
                let report = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as! [String: Any]
                XCTAssertEqual(report["accepted"] as? Int, 903, "\(report)")
            }
            let inOrder = try await harness.count("claims c", where: """
                c.version = CAST(substr(c.setl_id, 2) AS int)
                AND c.supersedes IS NOT DISTINCT FROM (SELECT p.claim_id FROM \(harness.schema).claims p
                                                        WHERE p.medins_id = c.medins_id AND p.mdtrt_id = c.mdtrt_id AND p.version = c.version - 1)
                """)
            XCTAssertEqual(inOrder, 903, "S1 is version 1, S2 version 2 superseding it, S3 version 3 superseding S2, for every encounter")
        }
    }

    /// The lane of an encounter depends on its two ids alone, and spreads encounters evenly.
    func testTheLaneOfAnEncounterIsStableAndSpread() {
        let encounters = (0..<4_000).map { Fixture.encounter("MD\($0)") }
        let lanes = encounters.map { BulkIntake.lane(of: $0, lanes: 4) }
        XCTAssertEqual(lanes, encounters.map { BulkIntake.lane(of: $0, lanes: 4) })
        for (lane, count) in Dictionary(grouping: lanes, by: { $0 }).mapValues(\.count) {
            XCTAssertEqual(Double(count), 1_000, accuracy: 150, "lane \(lane)")
        }
        // The institution is part of the key: the same encounter id at another hospital is
        // another encounter, and need not share its lane.
        let elsewhere = encounters.map { encounter in
            var other = encounter
            other.medinsId = "H43010000002"
            return BulkIntake.lane(of: other, lanes: 4)
        }
        XCTAssertGreaterThan(zip(lanes, elsewhere).filter { $0 != $1 }.count, 2_000)
        XCTAssertEqual(Set(encounters.map { BulkIntake.lane(of: $0, lanes: 1) }), [0])
    }
}
