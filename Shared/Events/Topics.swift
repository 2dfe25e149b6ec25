/// The topics between the services (../shared/EVENTS.md is the contract).
public enum Topic {
    public static let hisSettlements = "his.settlements"
    public static let claimsAccepted = "claims.accepted"
    public static let reportsReceived = "reports.received"
    public static let reviewFindings = "review.findings"
    public static let reviewStatistics = "review.statistics"
    public static let reviewOutcomes = "review.outcomes"
    public static let creditChanges = "credit.changes"
    public static let inspectionPlans = "inspection.plans"
    public static let notificationFeedback = "notification.feedback"
    /// Added to EVENTS.md's map: each rule-base version smart-review publishes, so that intake's
    /// real-time answers (3101/3102) use the same version as the after-the-fact review.
    public static let rulesPublished = "rules.published"
    /// Added to EVENTS.md's map: each step of a whistle-blower report on the workbench (smart-review →
    /// intake), so that the reporter's tracking number shows progress and reward.
    public static let reportsProgress = "reports.progress"

    /// Every platform topic, for the set-up scripts and the readiness of a fresh cluster.
    public static let all = [hisSettlements, claimsAccepted, reportsReceived, reviewFindings, reviewStatistics,
                             reviewOutcomes, creditChanges, inspectionPlans, notificationFeedback, rulesPublished, reportsProgress]
        + auditedServices.map(auditHeads)

    /// Added to EVENTS.md's map: the head of one service's audit chain (`audit.<service>`), published
    /// periodically so a chain cut or rewritten later no longer matches what was announced.
    public static func auditHeads(_ service: String) -> String { "audit.\(service)" }
    /// The services whose chains are announced, in the order `medsup verify-audit` reports them.
    public static let auditedServices = ["intake", "smart-review", "credit", "notification"]

    /// The outbound topic of one agency that reads Kafka.
    public static func notify(_ subscriber: String) -> String { "notify.\(subscriber)" }
}

/// CloudEvents `ce_type` of each event.
public enum EventType {
    public static let settlement = "cn.hsa.his.settlement"
    public static let claimAccepted = "cn.hsa.claim.accepted"
    public static let reportReceived = "cn.hsa.report.received"
    public static let finding = "cn.hsa.review.finding"
    /// A finding that no longer stands (late evidence, superseded claim), on `review.findings` beside the findings.
    public static let findingWithdrawn = "cn.hsa.review.finding.withdrawn"
    public static let statistics = "cn.hsa.review.statistics"
    public static let outcome = "cn.hsa.review.outcome"
    public static let creditChange = "cn.hsa.credit.change"
    public static let inspectionPlan = "cn.hsa.inspection.plan"
    public static let feedback = "cn.hsa.notification.feedback"
    public static let rulesPublished = "cn.hsa.rules.published"
    public static let reportProgress = "cn.hsa.report.progress"
    public static let auditHead = "cn.hsa.audit.head"
}
