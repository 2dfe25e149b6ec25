import Foundation
import ReviewWorkflow

/// One workbench item as the queue lists it.
public struct WorkItem: Codable, Sendable {
    public var itemId: Int64
    public var claimId: String
    public var medinsId: String
    public var admdvs: String
    /// 明确违规, 疑似违规, 提醒 (1, 2, 3 in the JSON)
    public var severity: Severity
    public var amount: Decimal
    public var state: String
}

/// An item with its findings and decisions (`GET /api/workbench/items/{id}`).
public struct ItemView: Decodable, Sendable {
    public struct Finding: Decodable, Sendable {
        public var pattern: String
        public var severity: Severity
    }

    public struct Decision: Decodable, Sendable {
        public var level: Int
        public var reviewer: String
        public var decision: String
    }

    /// The claim as accepted: the national patient record with its one encounter.
    public struct Claim: Decodable, Sendable {
        public struct Encounter: Decodable, Sendable {
            public var drCodg: String?
        }

        public var fsiEncounterDtos: [Encounter]
    }

    public var item: WorkItem
    public var claim: Claim?
    public var findings: [Finding]
    public var decisions: [Decision]

    /// The attending doctors of the claim (the practitioners a case names).
    public var doctors: [String] { claim?.fsiEncounterDtos.compactMap(\.drCodg) ?? [] }
}

/// A case as the workbench answers it: the parts the scripted supervisor reads.
public struct CaseView: Decodable, Sendable {
    public struct Decision: Decodable, Sendable {
        public var state: String
        public var isMajor: Bool
    }

    /// What one agency the case went to answered (notification.feedback, followed by smart-review).
    public struct Agency: Decodable, Sendable {
        public var subscriberId: String
        public var subscriberType: String
        public var acknowledgedAt: String?
        public var decision: String?
        public var overdue: Bool
    }

    public var caseId: String
    public var medinsId: String
    public var admdvs: String
    public var decision: Decision
    public var agencies: [Agency]?
}

/// A reviewer's verdict on an item (初审/复审结论), as the workbench takes it.
public struct Verdict: Codable, Sendable, Equatable {
    /// confirmed, not_violation, data_error, on_site_check
    public var decision: String
    public var amount: Decimal?
    public var reason: String?

    public init(decision: String, amount: Decimal? = nil, reason: String? = nil) {
        self.decision = decision
        self.amount = amount
        self.reason = reason
    }
}

/// The workbench API in one person's post and region, with a token minted from the shared secret.
public struct WorkbenchClient: Sendable {
    public let user: String
    public let role: WorkbenchRole
    public let region: String
    public let token: String
    private let base: String

    public init(_ platform: Platform, user: String, role: WorkbenchRole, region: String) async throws {
        self.user = user
        self.role = role
        self.region = region
        self.base = "\(platform.review)/api/workbench"
        token = try await WorkbenchToken.mint(user: user, role: role, admdvs: region, secret: platform.jwtSecret, lifetime: 4 * 3600)
    }

    /// Unheld items of the reviewer's level in the region, in work order (at most 100).
    public func queue() async throws -> [WorkItem] { try await API.call([WorkItem].self, "GET", "\(base)/queue", token: token) }

    public func view(_ item: Int64) async throws -> ItemView { try await API.call(ItemView.self, "GET", "\(base)/items/\(item)", token: token) }

    public func claim(_ item: Int64) async throws { _ = try await API.call("POST", "\(base)/items/\(item)/claim", token: token) }

    public func decide(_ item: Int64, _ verdict: Verdict) async throws -> [String: String] {
        try await API.call([String: String].self, "POST", "\(base)/items/\(item)/decision", token: token, json: verdict)
    }

    /// Opens a case (立案) from confirmed items of one institution; `kind` is a `ViolationKind`.
    /// `parties` names the offender and the responsible persons; nil leaves the institution as offender.
    public func openCase(items: [Int64], kind: ViolationKind, parties: [NamedParty]? = nil) async throws -> CaseView {
        struct Open: Encodable {
            var itemIds: [Int64]
            var kind: String
            var parties: [NamedParty]?
        }
        return try await API.call(CaseView.self, "POST", "\(base)/cases", token: token,
                                  json: Open(itemIds: items, kind: kind.rawValue, parties: parties))
    }

    public func submit(_ caseID: String) async throws -> CaseView { try await caseAction(caseID, "submit") }

    public func legalReview(_ caseID: String, approved: Bool, opinion: String) async throws -> CaseView {
        struct Review: Encodable {
            var approved: Bool
            var opinion: String
        }
        return try await caseAction(caseID, "legal-review", Review(approved: approved, opinion: opinion))
    }

    public func publish(_ caseID: String) async throws -> CaseView { try await caseAction(caseID, "publish") }

    /// Records that public officials are involved (行纪衔接), before publication.
    public func officialsInvolved(_ caseID: String) async throws -> CaseView {
        struct Circumstances: Encodable { var publicOfficialsInvolved = true }
        return try await caseAction(caseID, "circumstances", Circumstances())
    }

    /// The case as the workbench shows it, with the agencies' answers.
    public func showCase(_ caseID: String) async throws -> CaseView {
        try await API.call(CaseView.self, "GET", "\(base)/cases/\(caseID)", token: token)
    }

    private func caseAction(_ caseID: String, _ action: String, _ body: (any Encodable)? = nil) async throws -> CaseView {
        try await API.call(CaseView.self, "POST", "\(base)/cases/\(caseID)/\(action)", token: token, json: body)
    }
}
