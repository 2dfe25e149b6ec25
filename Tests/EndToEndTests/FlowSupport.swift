import Foundation
import PlatformClient
import ReviewWorkflow
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

/// Submits a case, passes the legal review when the case needs one (法制审核), and publishes it.
func submitAndPublish(_ caseID: String, by supervisor: WorkbenchClient, platform: Platform) async throws {
    let state = try await supervisor.submit(caseID)
    if state.decision.state == CaseState.awaitingLegalReview.rawValue {
        _ = try await WorkbenchClient(platform, user: "e2e-legal", role: .legalReviewer, region: "430100")
            .legalReview(caseID, approved: true, opinion: "同意")
    }
    _ = try await supervisor.publish(caseID)
}
