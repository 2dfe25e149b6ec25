import Foundation

/// One delivery to make: one per subscriber, whatever the number of rules and subscriptions
/// that selected it.
public struct DeliveryPlanEntry: Sendable, Codable, Equatable {
    public var subscriberId: String
    public var subscriberType: SubscriberType
    public var noticeType: NoticeType
    /// The rule ids and subscription ids that selected this subscriber, rules first.
    public var reasons: [String]
    /// Deadline of the notice type carried (整改期限, 答复期限).
    public var deadline: Date?
    /// True when a routing rule (not only a subscription) selected the subscriber.
    public var mandatory: Bool
    public var expectsFeedback: Bool

    public init(subscriberId: String, subscriberType: SubscriberType, noticeType: NoticeType, reasons: [String],
                deadline: Date? = nil, mandatory: Bool, expectsFeedback: Bool = false) {
        self.subscriberId = subscriberId
        self.subscriberType = subscriberType
        self.noticeType = noticeType
        self.reasons = reasons
        self.deadline = deadline
        self.mandatory = mandatory
        self.expectsFeedback = expectsFeedback
    }

    /// Folds another selection of the same subscriber into this one: reasons accumulate, the
    /// notice type of higher precedence wins and brings its deadline (the earlier one on a tie).
    mutating func merge(_ other: DeliveryPlanEntry) {
        for reason in other.reasons where !reasons.contains(reason) { reasons.append(reason) }
        if other.noticeType.precedence > noticeType.precedence {
            noticeType = other.noticeType
            deadline = other.deadline
        } else if other.noticeType == noticeType, let theirs = other.deadline {
            deadline = deadline.map { min($0, theirs) } ?? theirs
        }
        mandatory = mandatory || other.mandatory
        expectsFeedback = expectsFeedback || other.expectsFeedback
    }
}

/// A rule that applied but found no registered receiver: the referral must still be made,
/// so the supervisor is told rather than the duty silently dropped.
public struct UnroutedRule: Sendable, Codable, Equatable {
    public var ruleId: String
    public var target: RoutingTarget
    /// The division nobody covers; nil for the institution concerned.
    public var region: String?

    public init(ruleId: String, target: RoutingTarget, region: String?) {
        self.ruleId = ruleId
        self.target = target
        self.region = region
    }
}

public struct RoutingPlan: Sendable, Codable, Equatable {
    /// Sorted by subscriber id.
    public var deliveries: [DeliveryPlanEntry]
    public var unrouted: [UnroutedRule]

    public init(deliveries: [DeliveryPlanEntry], unrouted: [UnroutedRule]) {
        self.deliveries = deliveries
        self.unrouted = unrouted
    }

    public func delivery(to subscriberId: String) -> DeliveryPlanEntry? {
        deliveries.first { $0.subscriberId == subscriberId }
    }
}
