/// How often something recurs: inspections of an institution (与监督检查频次挂钩), joint meetings of a
/// region (联席会议).
public enum Periodicity: String, Sendable, Codable, CaseIterable {
    case yearly, halfYearly, quarterly, monthly

    public var perYear: Int {
        switch self {
        case .yearly: 1
        case .halfYearly: 2
        case .quarterly: 4
        case .monthly: 12
        }
    }
}
