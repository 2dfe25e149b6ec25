import Foundation

/// The filters an agency sets on its subscription: 区划, violation type, gravity, amount, event kind.
/// An empty set means "any".
public struct SubscriptionFilter: Sendable, Codable, Equatable {
    /// The filter of a directory entry: no notice passes it (the subscriber is only reachable by routing rules).
    public static let nothing = SubscriptionFilter(passesNothing: true)

    /// Jurisdictions (admdvs, zero-padded) of interest; a province covers its cities.
    public var regions: Set<String>
    /// Whether `regions` is matched against the care region, the insured regions, or either.
    public var regionScope: RegionScope
    /// Pattern codes; a notice matches when it involves at least one of them.
    public var patterns: Set<String>
    /// The least grave case wanted (`.minor`: any).
    public var minimumGravity: Gravity
    /// Lowest amount involved, in yuan.
    public var minimumAmount: Decimal
    public var kinds: Set<NoticeKind>
    /// Only `nothing` sets it.
    public var passesNothing: Bool

    public init(regions: Set<String> = [], regionScope: RegionScope = .careAndInsured, patterns: Set<String> = [],
                minimumGravity: Gravity = .minor, minimumAmount: Decimal = 0, kinds: Set<NoticeKind> = [], passesNothing: Bool = false) {
        self.regions = regions
        self.regionScope = regionScope
        self.patterns = patterns
        self.minimumGravity = minimumGravity
        self.minimumAmount = minimumAmount
        self.kinds = kinds
        self.passesNothing = passesNothing
    }

    private enum CodingKeys: String, CodingKey {
        case regions, regionScope, patterns, minimumGravity, minimumSeverity, minimumAmount, kinds, passesNothing
    }

    /// Filters stored before gravity carry `minimumSeverity` (1 low … 3 high): read as the gravity of the same number.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        regions = try c.decodeIfPresent(Set<String>.self, forKey: .regions) ?? []
        regionScope = try c.decodeIfPresent(RegionScope.self, forKey: .regionScope) ?? .careAndInsured
        patterns = try c.decodeIfPresent(Set<String>.self, forKey: .patterns) ?? []
        minimumGravity = try c.decodeIfPresent(Gravity.self, forKey: .minimumGravity)
            ?? c.decodeIfPresent(Int.self, forKey: .minimumSeverity).flatMap { Gravity(rawValue: min(max($0, 1), 4)) } ?? .minor
        minimumAmount = try c.decodeIfPresent(Decimal.self, forKey: .minimumAmount) ?? 0
        kinds = try c.decodeIfPresent(Set<NoticeKind>.self, forKey: .kinds) ?? []
        passesNothing = try c.decodeIfPresent(Bool.self, forKey: .passesNothing) ?? false
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(regions, forKey: .regions)
        try c.encode(regionScope, forKey: .regionScope)
        try c.encode(patterns, forKey: .patterns)
        try c.encode(minimumGravity, forKey: .minimumGravity)
        try c.encode(minimumAmount, forKey: .minimumAmount)
        try c.encode(kinds, forKey: .kinds)
        if passesNothing { try c.encode(true, forKey: .passesNothing) }
    }
}

/// Whether `subscription` asks for `notice`.
///
/// An institution's subscription only ever matches its own notices, whatever its filter says:
/// one institution must not learn of another's case through a broad subscription.
public func matches(_ subscription: Subscription, _ notice: CaseNotice) -> Bool {
    let filter = subscription.filter
    guard subscription.active, !filter.passesNothing else { return false }
    if subscription.subscriber.type == .institution,
       subscription.subscriber.institutionCode != notice.institution.code { return false }
    if !filter.kinds.isEmpty, !filter.kinds.contains(notice.kind) { return false }
    if !filter.patterns.isEmpty, filter.patterns.isDisjoint(with: notice.patterns) { return false }
    if notice.gravity < filter.minimumGravity { return false }
    if notice.amount < filter.minimumAmount { return false }
    if !filter.regions.isEmpty {
        let regions = filter.regionScope.regions(of: notice)
        let covered = regions.contains { region in filter.regions.contains { RegionCode.covers($0, region) } }
        if !covered { return false }
    }
    return true
}
