/// Who can receive notices (通知对象). Each type has its own field policy.
public enum SubscriberType: String, Sendable, Codable, CaseIterable {
    /// 公安机关: suspected crimes (行刑衔接).
    case police
    /// 纪检监察机关: public officials (行纪衔接).
    case disciplineInspection
    /// 卫生健康部门: medical conduct of institutions and practitioners.
    case healthCommission
    /// 市场监督管理部门: pricing (医药价格收费).
    case marketRegulation
    /// 药品监督管理部门: drug circulation and quality.
    case drugAdministration
    /// 审计部门
    case audit
    /// Another region's medical-insurance bureau (异地就医: 参保地 or 就医地 医保部门).
    case insuranceBureau
    /// A designated institution, for its own notices only.
    case institution
    /// The public feed (行政执法公示, 典型案例曝光).
    case publicFeed
}

/// A registered receiver with its endpoint elsewhere; `jurisdiction` is the admdvs it answers
/// for (an agency's 辖区), `institutionCode` identifies an institution subscriber.
public struct Subscriber: Sendable, Codable, Equatable, Hashable {
    public var id: String
    public var type: SubscriberType
    public var name: String
    public var jurisdiction: String
    public var institutionCode: String?

    public init(id: String, type: SubscriberType, name: String, jurisdiction: String, institutionCode: String? = nil) {
        self.id = id
        self.type = type
        self.name = name
        self.jurisdiction = jurisdiction
        self.institutionCode = institutionCode
    }
}

/// A subscriber's standing request for notices that pass `filter`. Routing rules also use the
/// subscribers of the subscriptions as the directory of endpoints for mandatory referrals.
public struct Subscription: Sendable, Codable, Equatable {
    public var id: String
    public var subscriber: Subscriber
    public var filter: SubscriptionFilter
    public var active: Bool

    public init(id: String, subscriber: Subscriber, filter: SubscriptionFilter = SubscriptionFilter(), active: Bool = true) {
        self.id = id
        self.subscriber = subscriber
        self.filter = filter
        self.active = active
    }
}

/// Which regions of a notice a filter or a routing target looks at.
public enum RegionScope: String, Sendable, Codable, CaseIterable {
    /// 就医地
    case care
    /// 参保地
    case insured
    /// Both 就医地 and 参保地.
    case careAndInsured

    /// The notice's divisions in this scope, care region first, without repeats.
    public func regions(of notice: CaseNotice) -> [String] {
        var result: [String] = []
        if self != .insured { result.append(notice.careRegion) }
        if self != .care {
            for region in notice.insuredRegions where !result.contains(region) { result.append(region) }
        }
        return result
    }
}
