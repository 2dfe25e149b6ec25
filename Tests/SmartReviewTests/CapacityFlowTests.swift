import Events
import Foundation
import HISContract
import PostgresNIO
import TestSupport
import XCTest
@testable import smart_review

/// P19's bed count in the service: the other persons' stays come from the archive's columns as
/// episodes (no record of theirs is read), and a stay reviewed in a later run than the others
/// still completes the pattern, naming every stay present at the peak.
final class CapacityFlowTests: XCTestCase {
    /// 长沙市岳麓区望月湖社区卫生服务中心, 40 beds.
    static let clinic = "H43010000003"

    static func stay(_ n: Int, adm: String, dscg: String) throws -> CloudEvent {
        var encounter = Fixture.encounter("MD-BEDS-\(n)-" + UUID().uuidString.prefix(8))
        encounter.medinsId = Self.clinic
        encounter.medinsLv = "1"
        encounter.medMdtrtType = "2"
        encounter.admDate = adm
        encounter.dscgDate = dscg
        return try accepted(encounter, patient: Fixture.patient(id: "43010000000099" + String(format: "%04d", n)))
    }

    func testTheFortyFirstConcurrentStayOfAFortyBedClinicIsOverItsBeds() async throws {
        let harness = try ReviewHarness()
        try await harness.run { _ in
            let full = try (0..<40).map { try Self.stay($0, adm: "2026-11-10 10:00:00", dscg: "2026-11-15 10:00:00") }
            try await harness.consume(full) { try await harness.count("reviews") == 40 }
            let none = try await harness.count("findings", where: "pattern = 'P19'")
            XCTAssertEqual(none, 0, "forty stays fill forty beds")

            let over = try Self.stay(40, adm: "2026-11-12 10:00:00", dscg: "2026-11-16 10:00:00")
            try await harness.consume([over]) { try await harness.count("reviews") == 41 }
            let rows = try await harness.database.client.query(PostgresQuery(unsafeSQL: """
                SELECT jsonb_array_length(finding->'relatedClaimIDs') FROM \(harness.schema).findings WHERE pattern = 'P19'
                """))
            var related: [Int] = []
            for try await count in rows.decode(Int.self) { related.append(count) }
            XCTAssertEqual(related, [40], "one finding, on the forty-first stay, naming the forty present")

            // A stay admitted when the others are discharged takes a freed bed.
            let after = try Self.stay(41, adm: "2026-11-15 10:00:00", dscg: "2026-11-17 10:00:00")
            try await harness.consume([after]) { try await harness.count("reviews") == 42 }
            let still = try await harness.count("findings", where: "pattern = 'P19'")
            XCTAssertEqual(still, 1)
        }
    }
}
