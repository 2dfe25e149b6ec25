import Foundation
import HISContract

/// Why a standing finding was withdrawn (撤销), not deleted.
public enum WithdrawalCause: String, Codable, Sendable, Hashable {
    /// Later evidence contradicts it (e.g. P23's visit arriving after the sale was reviewed).
    case contradicted
    /// Its claim was replaced by a corrected settlement of the same encounter.
    case superseded
}

/// One finding that no longer stands, with the claim whose arrival withdrew it.
public struct FindingWithdrawal: Codable, Sendable, Equatable, Hashable {
    public var findingID: String
    /// The claim the finding was made on.
    public var claimID: String
    public var pattern: String
    public var cause: WithdrawalCause
    /// e.g. "superseded by corrected settlement <id>".
    public var reason: String
    /// The same in Chinese, for the workbench and the hospital.
    public var reasonZh: String
    /// The newly arrived claim that withdrew it.
    public var byClaimID: String

    public init(findingID: String, claimID: String, pattern: String, cause: WithdrawalCause, reason: String, reasonZh: String,
                byClaimID: String) {
        self.findingID = findingID
        self.claimID = claimID
        self.pattern = pattern
        self.cause = cause
        self.reason = reason
        self.reasonZh = reasonZh
        self.byClaimID = byClaimID
    }
}

extension RuleEngine {
    /// The standing findings a newly arrived claim withdraws.
    ///
    /// - `newClaim`: the claim just accepted, with `supersedes` set when it is a corrected version.
    /// - `history`: the settlements known before it (it is added to a copy here; superseded versions
    ///   stop being history).
    /// - `standing`: findings that still stand on other claims of the history (the new claim's own are
    ///   ignored). Each of their claims must be in `history` to be re-evaluated.
    ///
    /// (b) Every standing finding of the claim `newClaim.supersedes` is withdrawn as superseded.
    /// (a) Every other claim with standing history-pattern findings that the new claim can touch
    /// (same person, a shared traceability code, the same doctor or institution — or so could the version
    /// it supersedes) is reviewed again
    /// with the new claim in its history; a finding of the current version of an enabled rule that
    /// no longer appears (same rule, same detail) is withdrawn as contradicted. Findings of a rule
    /// version the engine no longer holds are left alone: a rule-base change is the replay's
    /// business, not later evidence. Pure; ordered by claim id then finding id.
    public func withdrawals(for newClaim: Claim, history: InMemoryHistory, standing: [Finding]) -> [FindingWithdrawal] {
        let after = HistoryWith(base: history, added: newClaim)
        let others = standing.filter { $0.claimID != newClaim.claimID }
        var result: [FindingWithdrawal] = []
        if let old = newClaim.supersedes {
            result += others.filter { $0.claimID == old }.map {
                withdrawal($0, .superseded, by: newClaim.claimID, "superseded by corrected settlement \(newClaim.claimID)",
                           "已被更正后的结算\(newClaim.claimID)取代")
            }
        }
        let current = Dictionary(rules.rules.filter(\.enabled).map { ($0.id, $0.version) }) { first, _ in first }
        let reviewable = others.filter {
            $0.claimID != newClaim.supersedes && Self.isHistoryPattern($0.pattern) && current[$0.ruleID] == $0.ruleVersion
        }
        // The history changed by the new claim and, for a correction, by the version it took away.
        let changed = [newClaim] + (newClaim.supersedes.flatMap { history.claim(withID: $0) }.map { [$0] } ?? [])
        for (claimID, findings) in Dictionary(grouping: reviewable, by: \.claimID) {
            guard let claim = after.claim(withID: claimID), !after.isSuperseded(claimID),
                  changed.contains(where: { touches($0, claim) }) else { continue }
            let still = Set(evaluate(claim, history: after, ruleIDs: Set(findings.map(\.ruleID))).map { $0.ruleID + "\u{1F}" + $0.detailKey })
            result += findings.filter { !still.contains($0.ruleID + "\u{1F}" + $0.detailKey) }.map {
                withdrawal($0, .contradicted, by: newClaim.claimID, "contradicted by later evidence: settlement \(newClaim.claimID)",
                           "后到的结算\(newClaim.claimID)表明该问题不成立")
            }
        }
        return result.sorted { ($0.claimID, $0.findingID) < ($1.claimID, $1.findingID) }
    }

    private func withdrawal(_ f: Finding, _ cause: WithdrawalCause, by claimID: String, _ reason: String, _ reasonZh: String) -> FindingWithdrawal {
        FindingWithdrawal(findingID: f.id, claimID: f.claimID, pattern: f.pattern, cause: cause, reason: reason, reasonZh: reasonZh,
                          byClaimID: claimID)
    }

    /// Whether `new` can be in the history that one of `earlier`'s history patterns looks at.
    private func touches(_ new: Claim, _ earlier: Claim) -> Bool {
        if new.personID == earlier.personID { return true }
        if new.doctor != nil && new.doctor == earlier.doctor { return true }
        if new.institutionID == earlier.institutionID { return true }
        let codes = Set(new.lines.flatMap(\.traceCodes))
        return earlier.lines.contains { $0.traceCodes.contains(where: codes.contains) }
    }
}

/// The history with one more claim, without copying it (a copy per arriving claim would make a
/// stream quadratic): the added claim answers the queries it matches, the version it supersedes and
/// an earlier copy of the same settlement no longer do.
struct HistoryWith: ClaimHistory {
    let base: InMemoryHistory
    let added: Claim

    private var addedCounts: Bool { added.settlementID != nil && !base.isSuperseded(added.claimID) }

    private func merged(_ claims: [Claim], _ matches: Bool) -> [Claim] {
        let kept = claims.filter { $0.key != added.key && $0.claimID != added.supersedes }
        return addedCounts && matches ? kept + [added] : kept
    }

    func claim(withID claimID: String) -> Claim? { claimID == added.claimID ? added : base.claim(withID: claimID) }

    func isSuperseded(_ claimID: String) -> Bool { claimID == added.supersedes || base.isSuperseded(claimID) }

    func claims(ofPerson personID: String, from: CivilDateTime, to: CivilDateTime) -> [Claim] {
        merged(base.claims(ofPerson: personID, from: from, to: to), added.personID == personID && meets(added, from, to))
    }

    func claims(withTraceCode code: String) -> [Claim] {
        merged(base.claims(withTraceCode: code), added.lines.contains { $0.traceCodes.contains(code) })
    }

    func outpatientVisits(ofDoctor doctor: String, on day: CivilDate) -> [Episode] {
        merged(base.outpatientVisits(ofDoctor: doctor, on: day), added.kind == .outpatient && added.doctor == doctor && added.admission.date == day)
    }

    func inpatientStays(ofInstitution institutionID: String, from: CivilDateTime, to: CivilDateTime) -> [Episode] {
        merged(base.inpatientStays(ofInstitution: institutionID, from: from, to: to),
               added.kind == .inpatient && added.institutionID == institutionID && meets(added, from, to))
    }

    private func merged(_ episodes: [Episode], _ matches: Bool) -> [Episode] {
        let kept = episodes.filter { $0.claimID != added.claimID && $0.claimID != added.supersedes }
        return addedCounts && matches ? kept + [Episode(added)] : kept
    }
}
