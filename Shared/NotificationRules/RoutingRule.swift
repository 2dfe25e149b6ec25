/// A rule of the documents: when `condition` holds, the notice must go to `target`,
/// regardless of the filters that receiver set on its subscriptions.
public struct RoutingRule: Sendable, Codable, Equatable {
    public var id: String
    /// Why, in the documents' words.
    public var summary: String
    public var condition: RoutingCondition
    public var target: RoutingTarget
    public var noticeType: NoticeTypeChoice
    /// The receiver must answer in writing (e.g. police: 是否立案并书面告知医保部门).
    public var expectsFeedback: Bool

    public init(id: String, summary: String, condition: RoutingCondition, target: RoutingTarget,
                noticeType: NoticeTypeChoice, expectsFeedback: Bool = false) {
        self.id = id
        self.summary = summary
        self.condition = condition
        self.target = target
        self.noticeType = noticeType
        self.expectsFeedback = expectsFeedback
    }
}

public enum RoutingTarget: Sendable, Codable, Equatable {
    /// For each division in scope, the most specific subscribers of that type whose
    /// jurisdiction covers it (属地管辖: the county police before the city's).
    case agencies(SubscriberType, RegionScope)
    /// The institution the case is about, through its own subscriber.
    case institutionConcerned
}

public enum NoticeTypeChoice: Sendable, Codable, Equatable {
    case fixed(NoticeType)
    /// Chosen from the handling by the rule set's `InstitutionNoticePolicy`.
    case byHandling
}

/// The routing rules with the institution notice policy they refer to.
public struct RoutingRuleSet: Sendable, Codable, Equatable {
    public var rules: [RoutingRule]
    public var institutionNotices: InstitutionNoticePolicy

    public init(rules: [RoutingRule], institutionNotices: InstitutionNoticePolicy = .defaults) {
        self.rules = rules
        self.institutionNotices = institutionNotices
    }
}
