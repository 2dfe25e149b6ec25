import Foundation

/// The filters an agency sets on its subscription: 区划, violation type, severity, amount, event kind.
/// An empty set means "any".
public struct SubscriptionFilter: Sendable, Codable, Equatable {
    /// Jurisdictions (admdvs, zero-padded) of interest; a province covers its cities.
    public var regions: Set<String>
    /// Whether `regions` is matched against the care region, the insured regions, or either.
    public var regionScope: RegionScope
    /// Pattern codes; a notice matches when it involves at least one of them.
    public var patterns: Set<String>
    public var minimumSeverity: Int
    /// Lowest amount involved, in yuan.
    public var minimumAmount: Decimal
    public var kinds: Set<NoticeKind>

    public init(regions: Set<String> = [], regionScope: RegionScope = .careAndInsured, patterns: Set<String> = [],
                minimumSeverity: Int = 1, minimumAmount: Decimal = 0, kinds: Set<NoticeKind> = []) {
        self.regions = regions
        self.regionScope = regionScope
        self.patterns = patterns
        self.minimumSeverity = minimumSeverity
        self.minimumAmount = minimumAmount
        self.kinds = kinds
    }
}

/// Whether `subscription` asks for `notice`.
///
/// An institution's subscription only ever matches its own notices, whatever its filter says:
/// one institution must not learn of another's case through a broad subscription.
public func matches(_ subscription: Subscription, _ notice: CaseNotice) -> Bool {
    let filter = subscription.filter
    guard subscription.active else { return false }
    if subscription.subscriber.type == .institution,
       subscription.subscriber.institutionCode != notice.institution.code { return false }
    if !filter.kinds.isEmpty, !filter.kinds.contains(notice.kind) { return false }
    if !filter.patterns.isEmpty, filter.patterns.isDisjoint(with: notice.patterns) { return false }
    if notice.severity < filter.minimumSeverity { return false }
    if notice.amount < filter.minimumAmount { return false }
    if !filter.regions.isEmpty {
        let regions = filter.regionScope.regions(of: notice)
        let covered = regions.contains { region in filter.regions.contains { RegionCode.covers($0, region) } }
        if !covered { return false }
    }
    return true
}
