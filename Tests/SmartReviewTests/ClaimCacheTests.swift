import ClaimArchive
import RuleEngine
import TestSupport
import XCTest

/// The decoded-claims cache only bounds memory: past its capacity the oldest claims go, and a
/// lookup names what it does not hold, to be read from PostgreSQL again.
final class ClaimCacheTests: XCTestCase {
    func claim(_ id: String) throws -> Claim {
        let encounter = Fixture.encounter(id)
        return try Claim(patient: Fixture.patient([encounter]), encounter: encounter, claimID: id)
    }

    func testPastItsCapacityTheOldestClaimsGoAndAreReportedMissing() throws {
        let cache = ClaimCache(capacity: 2)
        cache.insert([try claim("A"), try claim("B")])
        cache.insert([try claim("B"), try claim("C")])
        XCTAssertEqual(cache.count, 2)
        let (found, missing) = cache.lookup(["A", "B", "C"])
        XCTAssertEqual(Set(found.map(\.claimID)), ["B", "C"])
        XCTAssertEqual(missing, ["A"])
    }

    func testACacheOfNoCapacityKeepsNothing() throws {
        let cache = ClaimCache(capacity: 0)
        cache.insert([try claim("A")])
        XCTAssertEqual(cache.count, 0)
        XCTAssertEqual(cache.lookup(["A"]).missing, ["A"])
    }
}
