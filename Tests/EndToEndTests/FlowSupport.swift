import Foundation
import PlatformClient
import XCTest

/// Confirms each claim's item at both levels (amount 5,000: fraud above the police referral amount); returns the items.
func confirmBothLevels(_ claims: [String], platform: Platform) async throws -> [Int64] {
    let first = try await WorkbenchClient(platform, user: "e2e-first", role: .firstReviewer, region: "430100")
    let second = try await WorkbenchClient(platform, user: "e2e-second", role: .secondReviewer, region: "430100")
    let queued = try await eventually { Set(try await first.queue().map(\.claimId)).isSuperset(of: claims) }
    XCTAssertTrue(queued, "both claims reach the first-level queue")
    let items = try await first.queue().filter { claims.contains($0.claimId) }.map(\.itemId)
    for item in items {
        try await first.claim(item)
        _ = try await first.decide(item, Verdict(decision: "confirmed", amount: 5_000))
        try await second.claim(item)
        _ = try await second.decide(item, Verdict(decision: "confirmed", amount: 5_000))
    }
    return items
}
