/// The bureau's operator roles (运维与管理岗位). A person holds one or more; every operator route
/// names the roles it admits.
public enum OperatorRole: String, Codable, Sendable, CaseIterable {
    /// 平台管理员: operator accounts, institution credentials, dead-letter replays.
    case platformAdministrator = "platform_administrator"
    /// 知识库维护: replaces reference data (catalogues, directories).
    case referenceDataMaintainer = "reference_data_maintainer"
    /// 规则发布: publishes rule-base versions, runs replays and reconciliation, publishes statistics.
    case rulePublisher = "rule_publisher"
    /// 信用管理: credit entries, objections, repair, region risk, inspection plans.
    case creditOfficer = "credit_officer"
    /// 通知管理: subscribers, secrets, subscriptions, deliveries.
    case notificationAdministrator = "notification_administrator"
    /// 审计: reads every service's audit chain and verifies it; changes nothing.
    case auditor
}

/// The person behind a verified operator token.
public struct OperatorIdentity: Sendable, Equatable {
    public let user: String
    public let roles: Set<OperatorRole>

    public init(user: String, roles: Set<OperatorRole>) {
        self.user = user
        self.roles = roles
    }

    public func holds(any wanted: Set<OperatorRole>) -> Bool { !roles.isDisjoint(with: wanted) }
}
