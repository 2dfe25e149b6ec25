/// When a routing rule applies, as data so that the rule set can be stored and reviewed.
public indirect enum RoutingCondition: Sendable, Codable, Equatable {
    case always
    case kinds(Set<NoticeKind>)
    /// The bureau proposes a referral for a suspected crime (行刑衔接).
    case suspectedCrime
    /// Public officials are involved (行纪衔接).
    case officialsInvolved
    case anyPattern(Set<String>)
    case anyHandling(Set<HandlingMeasure>)
    /// The case is at least this grave.
    case minimumGravity(Gravity)
    /// Some insured person's home region differs from the care region at `level` (异地就医).
    case crossRegion(RegionLevel)
    case allOf([RoutingCondition])
    case anyOf([RoutingCondition])
    case not(RoutingCondition)

    public func holds(for notice: CaseNotice) -> Bool {
        switch self {
        case .always: true
        case .kinds(let kinds): kinds.contains(notice.kind)
        case .suspectedCrime: notice.suspectedCrime
        case .officialsInvolved: notice.officialsInvolved
        case .anyPattern(let codes): !codes.isDisjoint(with: notice.patterns)
        case .anyHandling(let measures): !measures.isDisjoint(with: notice.handling)
        case .minimumGravity(let gravity): notice.gravity >= gravity
        case .crossRegion(let level):
            notice.insuredRegions.contains { !RegionCode.sameArea($0, notice.careRegion, at: level) }
        case .allOf(let conditions): conditions.allSatisfy { $0.holds(for: notice) }
        case .anyOf(let conditions): conditions.contains { $0.holds(for: notice) }
        case .not(let condition): !condition.holds(for: notice)
        }
    }
}
