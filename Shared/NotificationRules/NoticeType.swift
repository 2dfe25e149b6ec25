/// The kind of document a delivery carries. When several rules send one subscriber the same
/// case, the delivery carries the type of highest `precedence`.
public enum NoticeType: String, Sendable, Codable, CaseIterable {
    /// 案件移送 to police or discipline inspection: a formal transfer, feedback expected.
    case referral
    /// 线索移交 to another administrative department (《行政处罚法》, 主动通报工作进展).
    case clueTransfer
    /// 异地协查 / 问题线索横向移送 between the bureaux of 就医地 and 参保地.
    case crossRegionCoordination
    /// 整改通知: a rectification order with a deadline.
    case rectificationOrder
    /// 约谈通知
    case interview
    /// 函询: a letter of inquiry expecting a written reply.
    case inquiry
    /// 案件通报: for information, the default for subscriptions.
    case caseNotification
    /// 信用变更告知
    case creditNotice
    /// 检查计划公告 (双随机、一公开)
    case inspectionNotice
    /// 行政执法公示 / 典型案例曝光 on the public feed.
    case publicDisclosure

    public var nameZh: String {
        switch self {
        case .referral: "案件移送"
        case .clueTransfer: "线索移交"
        case .crossRegionCoordination: "异地协查通报"
        case .rectificationOrder: "整改通知"
        case .interview: "约谈通知"
        case .inquiry: "函询"
        case .caseNotification: "案件通报"
        case .creditNotice: "信用变更告知"
        case .inspectionNotice: "检查计划公告"
        case .publicDisclosure: "行政执法公示"
        }
    }

    /// Higher wins when deliveries to one subscriber are merged: a formal transfer outranks an
    /// order, which outranks a notice for information.
    public var precedence: Int {
        switch self {
        case .referral: 10
        case .clueTransfer: 9
        case .crossRegionCoordination: 8
        case .rectificationOrder: 7
        case .interview: 6
        case .inquiry: 5
        case .caseNotification: 3
        case .creditNotice: 2
        case .inspectionNotice: 1
        case .publicDisclosure: 0
        }
    }

    /// The informational type for a subscription that is not a referral.
    public static func informational(for kind: NoticeKind) -> NoticeType {
        switch kind {
        case .caseOutcome: .caseNotification
        case .creditChange: .creditNotice
        case .inspectionPlan: .inspectionNotice
        }
    }
}
