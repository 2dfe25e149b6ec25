import HISContract

extension RuleEngine {
    /// Whether `newClaim` can touch `finding` at all, cheaply, before `withdrawals(for:history:standing:)`
    /// weighs it: a finding of the same person (a late visit makes a prescription stand), of the
    /// version the new claim corrects, or of a claim sharing a traceability code with it. Other
    /// persons' history findings (a doctor's day, an institution's beds) only grow with more claims.
    public static func mayWithdraw(_ finding: Finding, after newClaim: Claim, in history: InMemoryHistory) -> Bool {
        if finding.personID == newClaim.personID || finding.claimID == newClaim.supersedes { return true }
        let codes = Set(newClaim.lines.flatMap(\.traceCodes))
        guard !codes.isEmpty, let claim = history.claim(withID: finding.claimID) else { return false }
        return claim.lines.contains { $0.traceCodes.contains(where: codes.contains) }
    }

    /// The claims of `history` whose findings a run of new claims may withdraw (see `mayWithdraw`):
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
