import Foundation

/// One line of the lenient list: a conduct and, for 不予处罚, the ceiling of the amount involved.
public struct LenientEntry: Codable, Sendable, Equatable {
    public var kind: ViolationKind
    /// The largest amount involved the line covers (yuan); nil: any amount.
    public var maxAmount: Decimal?

    public init(kind: ViolationKind, maxAmount: Decimal? = nil) {
        self.kind = kind
        self.maxAmount = maxAmount
    }

    func covers(_ violation: ViolationCase) -> Bool {
        violation.kind == kind && maxAmount.map { violation.amount <= $0 } ?? true
    }
}

/// The lenient list (免罚轻罚清单) as data, part of the versioned penalty policy: which conducts a first,
/// minor violation corrected promptly goes unpunished for (不予处罚清单, 首违不罚, 《行政处罚法》第三十三条),
/// and for which conducts a voluntary refund or a self-report lowers the penalty (从轻处罚清单). The legal
/// conditions themselves (first, minor, corrected, no fraud) are the law's and stay in the calculator.
public struct LenientList: Codable, Sendable, Equatable {
    public var noPenalty: [LenientEntry]
    public var lighter: [LenientEntry]

    public init(noPenalty: [LenientEntry], lighter: [LenientEntry]) {
        self.noPenalty = noPenalty
        self.lighter = lighter
    }

    /// Every conduct, any amount: the list the calculator applied before it was data.
    public static let standard = LenientList(noPenalty: ViolationKind.allCases.map { LenientEntry(kind: $0) },
                                             lighter: ViolationKind.allCases.map { LenientEntry(kind: $0) })

    public func allowsNoPenalty(_ violation: ViolationCase) -> Bool { noPenalty.contains { $0.covers(violation) } }
    public func allowsLighter(_ violation: ViolationCase) -> Bool { lighter.contains { $0.covers(violation) } }

    /// What makes the list unusable, each naming the field.
    var problems: [String] {
        Self.problems(of: noPenalty, named: "lenient_list.no_penalty") + Self.problems(of: lighter, named: "lenient_list.lighter")
    }

    private static func problems(of entries: [LenientEntry], named name: String) -> [String] {
        var found: [String] = []
        for (index, entry) in entries.enumerated() where (entry.maxAmount ?? 0) < 0 {
            found.append("\(name)[\(index)].max_amount: must be 0 or more")
        }
        if Set(entries.map(\.kind)).count != entries.count { found.append("\(name): a conduct is listed twice") }
        return found
    }
}
