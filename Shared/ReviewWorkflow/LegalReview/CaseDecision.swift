import Foundation

/// Where a case decision stands on its way to publication.
public enum CaseState: String, Codable, Sendable, Equatable, Hashable, CaseIterable {
    /// 拟作出: drafted, not yet submitted.
    case proposed
    /// 待法制审核: major, waiting for the legal reviewer.
    case awaitingLegalReview
    /// 已批准: not major, decided by the supervisor without legal review.
    case approved
    /// 法制审核通过
    case legallyApproved
    /// 法制审核未通过: may be revised and resubmitted, never published as it is.
    case legallyRefused
    /// 已公示 (行政执法公示)
    case published

    /// The state in the console's words.
    public var chineseName: String {
        switch self {
        case .proposed: "拟作出"
        case .awaitingLegalReview: "待法制审核"
        case .approved: "已批准"
        case .legallyApproved: "法制审核通过"
        case .legallyRefused: "法制审核未通过"
        case .published: "已公示"
        }
    }
}

/// The legal reviewer's written opinion (法制审核意见).
public struct LegalOpinion: Codable, Sendable, Equatable {
    public var reviewer: String
    public var approved: Bool
    public var opinion: String
    public var at: Date
}

/// One step of the case's life, for the full-process record.
public struct CaseTransition: Codable, Sendable, Equatable {
    public var from: CaseState
    public var to: CaseState
    public var actor: String
    public var at: Date
    public var note: String
}

public enum CaseDecisionError: Error, Sendable, Equatable {
    /// The action is not possible in the current state.
    case invalidTransition(from: CaseState, action: String)
    /// The legal reviewer handled the case and may not review it (岗位不相容).
    case reviewerNotIndependent(String)
    /// A refusal must say why in writing.
    case missingOpinion
}

/// A case decision under the legal review gate (重大执法决定法制审核): "未经法制审核或者审核未通过的，
/// 不得作出决定". proposed → (major ? awaitingLegalReview : approved) → legallyApproved / legallyRefused
/// → published; a refused decision can only be revised back to proposed.
public struct CaseDecision: Codable, Sendable, Equatable {
    public let caseID: String
    public private(set) var measures: EnforcementMeasures
    public private(set) var state: CaseState
    /// Fixed at submission by the `MajorDecisionPolicy` then in force.
    public private(set) var isMajor: Bool
    public private(set) var majorReasons: [MajorReason]
    /// Everyone who handled the case (proposed, submitted or revised it, or reviewed the item at first or
    /// second level); none may do its legal review.
    public private(set) var handledBy: Set<String>
    /// The opinion of the latest legal review.
    public private(set) var legalOpinion: LegalOpinion?
    public private(set) var transitions: [CaseTransition]

    public init(caseID: String, measures: EnforcementMeasures, proposedBy: String, handledBy: Set<String> = []) {
        self.caseID = caseID
        self.measures = measures
        self.state = .proposed
        self.isMajor = false
        self.majorReasons = []
        self.handledBy = handledBy.union([proposedBy])
        self.legalOpinion = nil
        self.transitions = []
    }

    public init(caseID: String, proposal: Proposal, proposedBy: String, handledBy: Set<String> = []) {
        self.init(caseID: caseID, measures: proposal.measures, proposedBy: proposedBy, handledBy: handledBy)
    }

    /// Submits the proposal: a major decision waits for legal review, any other is approved. The
    /// submitter becomes a handler and so cannot do the legal review.
    public mutating func submit(policy: MajorDecisionPolicy, by actor: String, at time: Date) throws {
        try require(.proposed, for: "submit")
        handledBy.insert(actor)
        majorReasons = policy.reasons(for: measures)
        isMajor = !majorReasons.isEmpty
        legalOpinion = nil
        move(to: isMajor ? .awaitingLegalReview : .approved, actor: actor, at: time,
             note: isMajor ? "重大执法决定，提交法制审核" : "非重大执法决定，批准")
    }

    /// Records the legal review; a refusal needs a written opinion, and the reviewer must not have handled the case.
    public mutating func recordLegalReview(approved: Bool, reviewer: String, opinion: String, at time: Date) throws {
        try require(.awaitingLegalReview, for: "legal review")
        guard !handledBy.contains(reviewer) else { throw CaseDecisionError.reviewerNotIndependent(reviewer) }
        let opinion = opinion.trimmingCharacters(in: .whitespacesAndNewlines)
        guard approved || !opinion.isEmpty else { throw CaseDecisionError.missingOpinion }
        legalOpinion = LegalOpinion(reviewer: reviewer, approved: approved, opinion: opinion, at: time)
        move(to: approved ? .legallyApproved : .legallyRefused, actor: reviewer, at: time,
             note: (approved ? "法制审核通过" : "法制审核未通过") + (opinion.isEmpty ? "" : "：\(opinion)"))
    }

    /// Revises a refused (or not yet submitted) decision; it must be submitted again.
    public mutating func revise(measures newMeasures: EnforcementMeasures, by actor: String, at time: Date) throws {
        guard state == .legallyRefused || state == .proposed else {
            throw CaseDecisionError.invalidTransition(from: state, action: "revise")
        }
        measures = newMeasures
        handledBy.insert(actor)
        move(to: .proposed, actor: actor, at: time, note: "修改拟作出的决定")
    }

    /// Publishes the decision (行政执法公示); only what `canPublish` allows.
    public mutating func publish(by actor: String, at time: Date) throws {
        guard canPublish(self) else { throw CaseDecisionError.invalidTransition(from: state, action: "publish") }
        move(to: .published, actor: actor, at: time, note: "公示")
    }

    private func require(_ expected: CaseState, for action: String) throws {
        guard state == expected else { throw CaseDecisionError.invalidTransition(from: state, action: action) }
    }

    private mutating func move(to next: CaseState, actor: String, at time: Date, note: String) {
        transitions.append(CaseTransition(from: state, to: next, actor: actor, at: time, note: note))
        state = next
    }
}

/// Whether the decision may be published now: an approved minor decision, or a major one that passed
/// legal review. Pending, refused, unsubmitted and already published decisions may not.
public func canPublish(_ decision: CaseDecision) -> Bool {
    switch decision.state {
    case .approved:
        !decision.isMajor
    case .legallyApproved:
        decision.isMajor && decision.legalOpinion?.approved == true
    case .proposed, .awaitingLegalReview, .legallyRefused, .published:
        false
    }
}
