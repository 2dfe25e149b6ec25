import Foundation

/// Where a case comes from (案件来源). Whatever the source, the case goes through the same proposal,
/// legal gate and publication; only a claim-review case stands on review items, the others on the
/// evidence attached to them.
public enum CaseSourceKind: String, Codable, Sendable, CaseIterable {
    /// 智能审核: confirmed items of the review queue.
    case claimReview
    /// 现场检查 (日常检查, 专项检查, 双随机抽查): `reference` is the plan or notice number.
    case onSiteInspection
    /// 飞行检查: an unannounced inspection.
    case flightInspection
    /// 上级交办: a lead handed down by a superior bureau; `reference` is its document number.
    case superiorLead
    /// 部门移送: a lead transferred by another department (audit, health, police, market regulation).
    case departmentLead
    /// 举报线索: a whistle-blower report of the workbench; `reference` is its report id.
    case whistleblowerReport

    /// The source in the console's words.
    public var chineseName: String {
        switch self {
        case .claimReview: "智能审核"
        case .onSiteInspection: "现场检查"
        case .flightInspection: "飞行检查"
        case .superiorLead: "上级交办"
        case .departmentLead: "部门移送"
        case .whistleblowerReport: "举报线索"
        }
    }

    /// Whether the institution was inspected in person (检查) rather than reached through claims or a lead.
    public var isInspection: Bool { self == .onSiteInspection || self == .flightInspection }
}

/// A case's source and the number that identifies it there (plan, notice, document or report).
public struct CaseSource: Codable, Sendable, Equatable {
    public var kind: CaseSourceKind
    public var reference: String

    public init(kind: CaseSourceKind, reference: String) {
        self.kind = kind
        self.reference = reference
    }
}

/// A piece of evidence attached to a case opened outside the claims (证据): the record of an
/// inspection (检查笔录), of an inquiry (询问笔录), a document (书证), audio-visual material (视听资料),
/// electronic data (电子数据) or an expert opinion (鉴定意见). The file stays in the bureau's document
/// store; the case keeps its SHA-256, so what the decision relied on can be proven unchanged.
public struct AttachedEvidence: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case inspectionRecord, inquiryRecord, document, audioVisual, electronicData, expertOpinion
    }

    public var kind: Kind
    public var title: String
    public var sha256: String
    /// The practitioners (`prac_codg`) and insured persons (`psn_no`) this piece names: the parties are
    /// chosen from them, as from the claims of a claim-review case.
    public var practitioners: [String]?
    public var insuredPersons: [String]?

    public init(kind: Kind, title: String, sha256: String, practitioners: [String]? = nil, insuredPersons: [String]? = nil) {
        self.kind = kind
        self.title = title
        self.sha256 = sha256
        self.practitioners = practitioners
        self.insuredPersons = insuredPersons
    }
}

/// Why a case cannot be opened from its source as stated; each names the field.
public enum CaseSourceError: Error, Sendable, Equatable, CustomStringConvertible {
    case claimReviewNeedsItems
    case missingReference
    case noEvidence
    case untitledEvidence(Int)
    case badDigest(Int)
    case negativeAmount

    public var description: String {
        switch self {
        case .claimReviewNeedsItems: "source: a claim-review case is opened from confirmed items (item_ids)"
        case .missingReference: "source.reference: the plan, notice, document or report number is required"
        case .noEvidence: "evidence: a case from outside the claims stands on its evidence; attach at least one piece"
        case .untitledEvidence(let index): "evidence[\(index)].title: required"
        case .badDigest(let index): "evidence[\(index)].sha256: 64 hexadecimal digits"
        case .negativeAmount: "amount: the amount to recover cannot be negative"
        }
    }
}

/// The facts of a case opened from an inspection, a lead or a report, checked: its source, the
/// amount to recover the inspection established and the evidence it rests on.
public struct SourcedCaseFacts: Sendable, Equatable {
    public let source: CaseSource
    public let amount: Decimal
    public let evidence: [AttachedEvidence]

    public init(source: CaseSource, amount: Decimal, evidence: [AttachedEvidence]) throws {
        guard source.kind != .claimReview else { throw CaseSourceError.claimReviewNeedsItems }
        guard !source.reference.trimmingCharacters(in: .whitespaces).isEmpty else { throw CaseSourceError.missingReference }
        guard amount >= 0 else { throw CaseSourceError.negativeAmount }
        guard !evidence.isEmpty else { throw CaseSourceError.noEvidence }
        for (index, piece) in evidence.enumerated() {
            guard !piece.title.trimmingCharacters(in: .whitespaces).isEmpty else { throw CaseSourceError.untitledEvidence(index) }
            guard Self.isDigest(piece.sha256) else { throw CaseSourceError.badDigest(index) }
        }
        (self.source, self.amount, self.evidence) = (source, amount, evidence)
    }

    /// The people the evidence names, from whom the parties are chosen.
    public func people(institution: String, isPharmacy: Bool) -> EvidencePeople {
        EvidencePeople(institution: institution, institutionIsPharmacy: isPharmacy,
                       practitioners: Set(evidence.flatMap { $0.practitioners ?? [] }),
                       insuredPersons: Set(evidence.flatMap { $0.insuredPersons ?? [] }))
    }

    private static func isDigest(_ text: String) -> Bool {
        text.count == 64 && text.allSatisfy(\.isHexDigit)
    }
}
