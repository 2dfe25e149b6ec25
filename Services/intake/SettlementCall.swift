import Foundation
import RuleEngine

/// A national 3102 settlement call (结算) as the group commit records it: its msgid taken, its
/// answer evaluated against what is committed and what the round recorded before it, its claims
/// recorded and its answer stored — all in the round's transaction, so the answer and the claims
/// exist together or not at all.
struct SettlementCall: Sendable {
    var msgid: String
    var infno: String
    var institution: String
    var drafts: [ClaimDraft]
    /// The drafts as the rule engine sees them: the history read for the round is around these.
    var claims: [Claim]
    /// The rule set's history window, in days on either side of each claim.
    var windowDays: Int
    /// The national answer from the history at the call's turn; adds the call's claims to it
    /// (within a call, and within a round, each settlement is history for the next).
    var answer: @Sendable (inout InMemoryHistory) throws -> Data
}

/// What a submission to the group commit brings, and what it gets back.
enum CommitWork: Sendable {
    /// Bulk or Kafka-pushed drafts: recorded, each told whether it is new.
    case drafts([ClaimDraft])
    /// A settlement call: answered, recorded, its answer kept for its msgid.
    case settlement(SettlementCall)

    var drafts: [ClaimDraft] {
        switch self {
        case let .drafts(drafts): drafts
        case let .settlement(call): call.drafts
        }
    }
}

enum CommitOutcome: Sendable {
    case recorded([RecordedClaim])
    case answered(Data)
}
