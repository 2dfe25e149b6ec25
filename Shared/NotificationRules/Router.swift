import Foundation

/// Plans the deliveries of `notice`: first the mandatory routing rules, then the subscriptions
/// whose filters match; one entry per subscriber.
///
/// The subscribers of active `subscriptions` form the directory rules route to, so an agency
/// registered with a narrow filter still receives the referrals the documents send it.
public func route(_ notice: CaseNotice, rules: RoutingRuleSet = .defaults, subscriptions: [Subscription]) -> RoutingPlan {
    let directory = activeSubscribers(subscriptions)
    var entries: [String: DeliveryPlanEntry] = [:]
    var unrouted: [UnroutedRule] = []

    func add(_ entry: DeliveryPlanEntry) {
        if entries[entry.subscriberId] == nil { entries[entry.subscriberId] = entry } else { entries[entry.subscriberId]!.merge(entry) }
    }

    for rule in rules.rules where rule.condition.holds(for: notice) {
        let (type, deadline): (NoticeType, Date?) = switch rule.noticeType {
        case .fixed(let type): (type, nil)
        case .byHandling: rules.institutionNotices.notice(for: notice)
        }
        let resolution = receivers(of: rule.target, for: notice, in: directory)
        for region in resolution.uncovered {
            unrouted.append(UnroutedRule(ruleId: rule.id, target: rule.target, region: region))
        }
        if resolution.subscribers.isEmpty, case .institutionConcerned = rule.target {
            unrouted.append(UnroutedRule(ruleId: rule.id, target: rule.target, region: nil))
        }
        for subscriber in resolution.subscribers {
            add(DeliveryPlanEntry(subscriberId: subscriber.id, subscriberType: subscriber.type, noticeType: type,
                                  reasons: [rule.id], deadline: deadline, mandatory: true,
                                  expectsFeedback: rule.expectsFeedback))
        }
    }

    for subscription in subscriptions where matches(subscription, notice) {
        let subscriber = subscription.subscriber
        let (type, deadline) = subscriber.type == .institution
            ? rules.institutionNotices.notice(for: notice)
            : (NoticeType.informational(for: notice.kind), nil)
        add(DeliveryPlanEntry(subscriberId: subscriber.id, subscriberType: subscriber.type, noticeType: type,
                              reasons: [subscription.id], deadline: deadline, mandatory: false))
    }

    return RoutingPlan(deliveries: entries.values.sorted { $0.subscriberId < $1.subscriberId }, unrouted: unrouted)
}

/// Distinct subscribers of the active subscriptions, in first-seen order.
private func activeSubscribers(_ subscriptions: [Subscription]) -> [Subscriber] {
    var seen = Set<String>()
    return subscriptions.filter(\.active).map(\.subscriber).filter { seen.insert($0.id).inserted }
}

private func receivers(of target: RoutingTarget, for notice: CaseNotice, in directory: [Subscriber])
    -> (subscribers: [Subscriber], uncovered: [String]) {
    switch target {
    case .institutionConcerned:
        return (directory.filter { $0.type == .institution && $0.institutionCode == notice.institution.code }, [])
    case .agencies(let type, let scope):
        let candidates = directory.filter { $0.type == type }
        var chosen: [Subscriber] = []
        var uncovered: [String] = []
        for region in scope.regions(of: notice) {
            let covering = candidates.filter { RegionCode.covers($0.jurisdiction, region) }
            guard let best = covering.map({ RegionCode.specificity(of: $0.jurisdiction) }).max() else {
                uncovered.append(region)
                continue
            }
            for subscriber in covering where RegionCode.specificity(of: subscriber.jurisdiction) == best
                && !chosen.contains(subscriber) {
                chosen.append(subscriber)
            }
        }
        return (chosen, uncovered)
    }
}
