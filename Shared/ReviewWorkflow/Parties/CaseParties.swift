/// What kind of subject a party of a case is.
public enum PartyKind: String, Codable, Sendable, Hashable, CaseIterable {
    /// 定点医药机构: the designated institution of the case, hospital or pharmacy.
    case institution
    /// 定点零售药店
    case pharmacy
    /// 医务人员 / 药师: a practitioner whose payment eligibility is scored (医保支付资格记分).
    case practitioner
    /// 参保人员
    case insuredPerson = "insured_person"

    public var chineseName: String {
        switch self {
        case .institution: "定点医药机构"
        case .pharmacy: "定点零售药店"
        case .practitioner: "医药服务人员"
        case .insuredPerson: "参保人员"
        }
    }
}

/// The part a party plays in a case.
public enum PartyRole: String, Codable, Sendable, Hashable {
    /// 违法主体 / 当事人: the subject the decision is addressed to.
    case offender
    /// 相关责任人员: a person held responsible for the conduct alongside the offender.
    case responsible

    public var chineseName: String { self == .offender ? "违法主体" : "相关责任人员" }
}

/// One party the supervisor names on a case, with the conduct held against them (违法行为).
public struct NamedParty: Codable, Sendable, Equatable, Hashable {
    public var id: String
    public var kind: PartyKind
    public var role: PartyRole
    public var conduct: [ViolationKind]

    public init(id: String, kind: PartyKind, role: PartyRole, conduct: [ViolationKind]) {
        self.id = id
        self.kind = kind
        self.role = role
        self.conduct = conduct
    }
}

/// The people the case's evidence names: the attending doctors and the doctors who ordered its lines
/// (开单医生), and the insured persons the claims are for. Only these can be named as parties.
public struct EvidencePeople: Codable, Sendable, Equatable {
    public var institution: String
    public var institutionIsPharmacy: Bool
    public var practitioners: Set<String>
    public var insuredPersons: Set<String>

    public init(institution: String, institutionIsPharmacy: Bool = false, practitioners: Set<String>, insuredPersons: Set<String>) {
        self.institution = institution
        self.institutionIsPharmacy = institutionIsPharmacy
        self.practitioners = practitioners
        self.insuredPersons = insuredPersons
    }
}

/// Why a set of parties cannot stand; each names the party and what is wrong.
public enum PartyError: Error, Sendable, Equatable, CustomStringConvertible {
    case noOffender
    case severalOffenders
    case notInEvidence(String)
    case wrongInstitution(String)
    case noConduct(String)
    case notTheirConduct(String, ViolationKind)
    case namedTwice(String)

    public var description: String {
        switch self {
        case .noOffender: "parties: one offender (违法主体) is required"
        case .severalOffenders: "parties: a case has one offender"
        case .notInEvidence(let id): "parties: \(id) is not named by the case's evidence (claims, attending or ordering doctors)"
        case .wrongInstitution(let id): "parties: \(id) is not the case's institution, or not of that kind"
        case .noConduct(let id): "parties: \(id) needs the conduct held against them"
        case .notTheirConduct(let id, let kind): "parties: \(kind.rawValue) (\(kind.title)) cannot be held against \(id)"
        case .namedTwice(let id): "parties: \(id) is named twice"
        }
    }
}

/// The parties of a case: one offender and the responsible persons, each with their conduct.
///
/// The rules (Order 735 arts. 38-41; 医保发〔2024〕23号): the offender is the institution (or pharmacy)
/// of the case, or a person the evidence names; practitioners are named only from the doctors the
/// evidence names; an insured person is a party only for their own conduct (第四十一条: lending a card,
/// reselling drugs …), and an individual's conduct is never an institution's or a practitioner's.
public struct CaseParties: Codable, Sendable, Equatable {
    public private(set) var parties: [NamedParty]

    public init(_ parties: [NamedParty], evidence: EvidencePeople) throws {
        let offenders = parties.filter { $0.role == .offender }
        guard !offenders.isEmpty else { throw PartyError.noOffender }
        guard offenders.count == 1 else { throw PartyError.severalOffenders }
        var seen = Set<String>()
        for party in parties {
            guard seen.insert(party.id).inserted else { throw PartyError.namedTwice(party.id) }
            try Self.check(party, evidence: evidence)
        }
        self.parties = parties
    }

    /// The parties a case had before parties were named: the institution as offender of the case's behaviour.
    public static func institutionOnly(_ institution: String, kind: PartyKind = .institution, conduct: ViolationKind) -> CaseParties {
        CaseParties(unchecked: [NamedParty(id: institution, kind: kind, role: .offender, conduct: [conduct])])
    }

    private init(unchecked parties: [NamedParty]) { self.parties = parties }

    public var offender: NamedParty { parties.first { $0.role == .offender } ?? parties[0] }
    public var practitioners: [NamedParty] { parties.filter { $0.kind == .practitioner } }
    /// Whether the institution or pharmacy of the case answers for it (not so when an individual is the offender alone).
    public var namesInstitution: Bool { parties.contains { $0.kind == .institution || $0.kind == .pharmacy } }

    private static func check(_ party: NamedParty, evidence: EvidencePeople) throws {
        guard !party.conduct.isEmpty else { throw PartyError.noConduct(party.id) }
        switch party.kind {
        case .institution, .pharmacy:
            // 定点医药机构 covers pharmacies too; only a hospital cannot be named as a pharmacy.
            guard party.id == evidence.institution, party.kind == .institution || evidence.institutionIsPharmacy else {
                throw PartyError.wrongInstitution(party.id)
            }
            if let individual = party.conduct.first(where: { $0.article == .article41 }) { throw PartyError.notTheirConduct(party.id, individual) }
        case .practitioner:
            guard evidence.practitioners.contains(party.id) else { throw PartyError.notInEvidence(party.id) }
            if let individual = party.conduct.first(where: { $0.article == .article41 }) { throw PartyError.notTheirConduct(party.id, individual) }
        case .insuredPerson:
            guard evidence.insuredPersons.contains(party.id) else { throw PartyError.notInEvidence(party.id) }
            if let other = party.conduct.first(where: { $0.article != .article41 }) { throw PartyError.notTheirConduct(party.id, other) }
        }
    }
}
