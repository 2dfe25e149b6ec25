import HISContract

extension RuleEngine {
    /// Patterns whose finding a later claim can take away without correcting anything: P23's
    /// prescription stands once the visit that wrote it arrives. Every other history pattern only
    /// grows with more history (a later claim adds findings, it removes none), so its findings are
    /// weighed again only when a correction changes the history they rest on.
    public static let contradictablePatterns: Set<String> = ["P23"]

    /// Whether `newClaim` could withdraw `finding`, cheaply, before `withdrawals(for:history:standing:)`
    /// weighs it: a corrected settlement may touch any finding; otherwise only a contradictable
    /// finding of the same person, by an encounter that can write a prescription.
    public static func mayWithdraw(_ finding: Finding, after newClaim: Claim) -> Bool {
        if newClaim.supersedes != nil { return true }
        return contradictablePatterns.contains(finding.pattern) && finding.personID == newClaim.personID && newClaim.kind != .pharmacy
    }
}
