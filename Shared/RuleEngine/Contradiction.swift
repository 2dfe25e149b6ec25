import HISContract

extension RuleEngine {
    /// The claims of `history` whose findings a run of new claims may withdraw (see `StandingFindings.contestable(by:)`):
    /// the loader asks only for those claims' standing findings.
    public static func contestable(_ history: [Claim], by newClaims: [Claim]) -> [String] {
        let persons = Set(newClaims.map(\.personID)), corrected = Set(newClaims.compactMap(\.supersedes))
        let codes = Set(newClaims.flatMap { $0.lines.flatMap(\.traceCodes) })
        return history.filter { claim in
            persons.contains(claim.personID) || corrected.contains(claim.claimID)
                || claim.lines.contains { $0.traceCodes.contains(where: codes.contains) }
        }.map(\.claimID) + corrected
    }
}

/// The standing findings a run of claims is weighed against, indexed by what lets a new claim
/// touch one at all, cheaply, before `RuleEngine.withdrawals(for:history:standing:)` weighs it: a
/// finding of the same person (a late visit makes a prescription stand), of the version the new
/// claim corrects, or of a claim sharing a traceability code with it. Other persons' history
/// findings (a doctor's day, an institution's beds) only grow with more claims.
///
/// Indexed because a run holds thousands of findings: filtering all of them for every claim made
/// this check half of smart-review's time per claim (scripts/profile.sh).
public struct StandingFindings: Sendable {
    private var byID: [String: Finding] = [:]
    private var byPerson: [String: Set<String>] = [:]
    private var byClaim: [String: Set<String>] = [:]
    /// Traceability code → claims holding it that have standing findings.
    private var byCode: [String: Set<String>] = [:]

    public init(_ findings: [Finding], history: InMemoryHistory) {
        add(findings, history: history)
    }

    /// Adds findings whose claims are in `history` (a finding whose claim is not is reachable by
    /// person and correction only).
    public mutating func add(_ findings: [Finding], history: InMemoryHistory) {
        for finding in findings {
            byID[finding.id] = finding
            byPerson[finding.personID, default: []].insert(finding.id)
            byClaim[finding.claimID, default: []].insert(finding.id)
            for code in history.claim(withID: finding.claimID)?.lines.flatMap(\.traceCodes) ?? [] {
                byCode[code, default: []].insert(finding.claimID)
            }
        }
    }

    public mutating func remove(_ findingIDs: Set<String>) {
        for id in findingIDs { byID[id] = nil }
    }

    /// The standing findings `newClaim` may touch, in a stable order.
    public func contestable(by newClaim: Claim) -> [Finding] {
        var ids = byPerson[newClaim.personID] ?? []
        var claims = Set(newClaim.lines.flatMap(\.traceCodes).flatMap { byCode[$0] ?? [] })
        if let corrected = newClaim.supersedes { claims.insert(corrected) }
        for claim in claims { ids.formUnion(byClaim[claim] ?? []) }
        return ids.compactMap { byID[$0] }.sorted { $0.id < $1.id }
    }
}
