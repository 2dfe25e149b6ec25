import HISContract

/// A practitioner's standing on one date: this calendar year's points, the qualification status and
/// every action recorded up to that date.
public struct PointsState: Sendable, Codable, Equatable {
    public var date: CivilDate
    /// Points of `date.year` still in force (reversed deductions excluded); 0 on every 1 January.
    public var pointsThisYear: Int
    public var status: PaymentQualificationStatus
    public var history: [PointsHistoryItem]
}

/// One recorded action with the standing right after it, so the history reads as it happened,
/// including a suspension later lifted by an upheld objection.
public struct PointsHistoryItem: Sendable, Codable, Equatable {
    public enum Action: Sendable, Codable, Equatable {
        case deduction(PointDeduction)
        case reversal(PointReversal)

        public var date: CivilDate {
            switch self {
            case .deduction(let d): d.decidedOn
            case .reversal(let r): r.reversedOn
            }
        }
    }

    public var action: Action
    /// The year's points at the end of the action's date.
    public var pointsInYear: Int
    public var status: PaymentQualificationStatus
}
