/// The notice the institution receives with the decision, as the supervisor chooses it (告知方式).
public enum InstitutionNotice: String, Codable, Sendable, CaseIterable {
    /// 责令整改: an order to rectify by a deadline (the clear-to-zero ledger follows it).
    case rectification
    /// 约谈: the institution's head is summoned to an interview.
    case interview
    /// 函询: a letter of inquiry expecting a written reply.
    case inquiry

    public var chineseName: String {
        switch self {
        case .rectification: "责令整改"
        case .interview: "约谈"
        case .inquiry: "函询"
        }
    }
}

/// What the supervisor records about a case beyond its facts and parties, before it is published.
public struct CaseCircumstances: Codable, Sendable, Equatable {
    /// 涉及公职人员: the case goes to discipline inspection too (行纪衔接).
    public var publicOfficialsInvolved: Bool
    /// The notice chosen for the institution; nil leaves it to the handling (a penalty brings a rectification order).
    public var institutionNotice: InstitutionNotice?
    /// 典型案例: exposed on the public feed as a typical case, persons anonymised.
    public var typical: Bool

    public init(publicOfficialsInvolved: Bool = false, institutionNotice: InstitutionNotice? = nil, typical: Bool = false) {
        self.publicOfficialsInvolved = publicOfficialsInvolved
        self.institutionNotice = institutionNotice
        self.typical = typical
    }
}
