/// Every field of a `CaseNotice` a receiver could be given. A field added to the notice is
/// delivered to nobody until each policy decides it.
public enum NoticeField: String, Sendable, Codable, CaseIterable {
    case caseId, kind, institutionCode, institutionName, careRegion, insuredRegions, patterns
    case gravity, amount, handling, decisionDate, suspectedCrime, officialsInvolved
    /// Persons other than public officials (参保人, 法定代表人, 其他涉案人员).
    case persons
    /// Public officials involved (公职人员), for 行纪衔接 only.
    case officials
    case practitioners, diagnoses, traceabilityCodes, pricingItems, legalBasis, decisionText

    /// Fields about natural persons, the only ones that can be masked or anonymised.
    public var isPersonal: Bool { self == .persons || self == .officials || self == .practitioners }
}

/// How much of a field a receiver gets.
public enum Disclosure: String, Sendable, Codable, CaseIterable {
    case full
    /// Names as "张*", identity numbers and practitioner codes as "110***********4512".
    case masked
    /// Names as "张某", identifiers and home regions removed: for the public.
    case anonymised
    case excluded
}

/// What one subscriber type may receive, field by field (最小必要原则).
public struct FieldPolicy: Sendable, Codable, Equatable {
    public var decisions: [NoticeField: Disclosure]

    public init(_ decisions: [NoticeField: Disclosure]) { self.decisions = decisions }

    /// An undecided field is excluded; masking a field that is not personal excludes it too (fail closed).
    public func disclosure(of field: NoticeField) -> Disclosure {
        guard let decision = decisions[field] else { return .excluded }
        if !field.isPersonal, decision == .masked || decision == .anonymised { return .excluded }
        return decision
    }

    /// Fields this policy leaves undecided: a review finds them before they go out excluded by accident.
    public var undecided: [NoticeField] { NoticeField.allCases.filter { decisions[$0] == nil } }
}

/// The policies of all subscriber types.
public struct FieldPolicies: Sendable, Codable, Equatable {
    public var policies: [SubscriberType: FieldPolicy]

    public init(_ policies: [SubscriberType: FieldPolicy]) { self.policies = policies }

    /// A type without a policy receives nothing.
    public func policy(for type: SubscriberType) -> FieldPolicy { policies[type] ?? FieldPolicy([:]) }
}
