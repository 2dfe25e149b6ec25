import AuditTrail
import Foundation
import Events
import Hummingbird
import OperatorAccess
import Persistence
import ReferenceData
import ReviewWorkflow
import ServiceKit
import ServiceLifecycle

/// Wires smart-review's parts to the runtime: used by main and by the tests alike.
///
/// | variable | default | meaning |
/// |---|---|---|
/// | `REVIEW_REFERENCE_DIR` | reference/kb | CSV files loaded when the database has none yet |
/// | `REVIEW_RECONCILE_SECONDS` | 30 | how often coverage gaps are closed |
/// | `REVIEW_JWT_SECRET` | — (required, at least 32 bytes) | HS256 secret of the reviewers' workbench tokens |
/// | `REVIEW_LEASE_SECONDS` | 900 | how long a claimed item stays with its reviewer |
/// | `REVIEW_SAMPLE_PERCENT` | 5 | random share of first-level decisions re-reviewed (raised to 5 if lower) |
/// | `REVIEW_INCREASED_SAMPLE_PERCENT` | 20 | share of the first-level decisions of an institution under increased review (grade C, 提高审核比例) re-reviewed (at least `REVIEW_SAMPLE_PERCENT`) |
/// | `REVIEW_SAMPLE_BATCH` | 20 | first-level decisions gathered per second-level draw |
/// | `REVIEW_SAMPLE_FLUSH_SECONDS` | 3600 | the longest a first-level decision waits for its batch: then a short batch is drawn |
/// | `REVIEW_SAMPLE_SEED_KEY` | medsup-second-review | the bureau's key of the draws' seeds (a draw is replayed with it; set your own) |
/// | `REVIEW_SAMPLE_JOB_SECONDS` | 60 | how often short batches and the past day's machine-passed claims are drawn |
/// | `REVIEW_REWARD_SCHEDULE` | the standard schedule | whistle-blower reward (举报奖励) by grade as JSON: `{"grades":{"1":{"rate":0.03,"floor":400,"cap":200000},…}}` |
/// | `REVIEW_CLAIM_CACHE` | 200000 | decoded claims kept in memory for the history of the next ones (0: none; about 4 KiB each) |
/// | `REVIEW_CONSOLE_SECURE_COOKIE` | true | the console's session cookie carries `Secure` (sent over TLS only); false for the plain-http loopback demo |
/// | `REVIEW_RECTIFY_DAYS` | 30 | default days an institution has to rectify a confirmed problem (清零台账) |
struct SmartReviewAssembly: Sendable {
    let runtime: PlatformRuntime
    let reference: ReferenceData
    let reviewer: ClaimReviewer
    let ruleBase: RuleBase
    let reconciler: Reconciler
    let workbench: Workbench
    /// The reviewers' web console under /console (Console/).
    let console: Console
    let samplingJob: SamplingJob
    let penaltyPolicies: PenaltyPolicyBase

    init(runtime: PlatformRuntime) throws {
        let env = runtime.configuration.environment, database = runtime.database
        self.runtime = runtime
        reference = ReferenceData(database: database, seedDirectory: env.string("REVIEW_REFERENCE_DIR", default: "reference/kb"))
        reviewer = ClaimReviewer(database: database, reference: reference,
                                 cacheCapacity: try env.int("REVIEW_CLAIM_CACHE", default: 200_000, range: 0...50_000_000))
        ruleBase = RuleBase(database: database, reference: reference)
        reconciler = Reconciler(coverage: Coverage(database: database), reviewer: reviewer,
                                interval: .seconds(try env.int("REVIEW_RECONCILE_SECONDS", default: 30, range: 1...86_400)))
        workbench = Workbench(database: database, reference: reference, secret: try Self.workbenchSecret(env),
                              leaseDuration: TimeInterval(try env.int("REVIEW_LEASE_SECONDS", default: 900, range: 1...86_400)),
                              sampling: SamplingPolicy(percentage: Decimal(try env.int("REVIEW_SAMPLE_PERCENT", default: 5, range: 5...100)) / 100,
                                                       increasedPercentage: Decimal(try env.int("REVIEW_INCREASED_SAMPLE_PERCENT", default: 20, range: 5...100)) / 100,
                                                       batchSize: try env.int("REVIEW_SAMPLE_BATCH", default: 20, range: 1...10_000),
                                                       flushAfter: TimeInterval(try env.int("REVIEW_SAMPLE_FLUSH_SECONDS", default: 3_600, range: 1...604_800)),
                                                       seedKey: env.string("REVIEW_SAMPLE_SEED_KEY", default: "medsup-second-review")),
                              rewards: try RewardSchedule.configured(env),
                              rectificationDays: try env.int("REVIEW_RECTIFY_DAYS", default: 30, range: 1...365))
        penaltyPolicies = PenaltyPolicyBase(database: database, current: workbench.penaltyPolicy)
        console = try Console(workbench: workbench, operators: runtime.operators,
                              secureCookie: try env.bool("REVIEW_CONSOLE_SECURE_COOKIE", default: true))
        samplingJob = SamplingJob(workbench: workbench, interval: .seconds(try env.int("REVIEW_SAMPLE_JOB_SECONDS", default: 60, range: 1...86_400)))
    }

    /// jwt-kit (rightly) takes no HMAC key shorter than SHA-256's output.
    static func workbenchSecret(_ env: ServiceKit.Environment) throws -> String {
        let secret = try env.required("REVIEW_JWT_SECRET")
        guard secret.utf8.count >= HS256Signer.minimumSecretBytes else {
            throw ConfigurationError(variable: "REVIEW_JWT_SECRET", problem: "must have at least \(HS256Signer.minimumSecretBytes) bytes")
        }
        return secret
    }

    func router() -> Router<PlatformRequestContext> {
        let router = runtime.makeRouter(extraChecks: [ReadinessCheck("reference data") { [reference] in reference.isLoaded }])
        ReviewRoutes(ruleBase: ruleBase, coverage: reconciler.coverage, reconciler: reconciler, reference: reference,
                     replay: Replay(database: runtime.database, reference: reference),
                     disclosure: Disclosure(database: runtime.database, reference: reference), operators: runtime.operators,
                     workbench: workbench).register(on: router)
        PenaltyPolicyRoutes(base: penaltyPolicies, operators: runtime.operators).register(on: router)
        console.register(on: router)
        router.addAuditRoutes(store: AuditStore(database: runtime.database), operators: runtime.operators)
        return router
    }

    /// Loads the knowledge base and the rule base, then reviews every accepted claim.
    func workers() throws -> [any Service] {
        let processor = try claimsProcessor()
        let sanctions = SanctionFollower(database: runtime.database, reference: reference)
        return [ReferenceFollower(reference: reference, then: { [ruleBase, penaltyPolicies] in
                    try await ruleBase.load()
                    try await penaltyPolicies.load()
                    try await sanctions.restore()
                }), ConsumerAfterLoad(reference: reference, inner: processor),
                ConsumerAfterLoad(reference: reference, inner: try reportsProcessor()),
                ConsumerAfterLoad(reference: reference, inner: try creditProcessor()), SanctionFollower.Refresh(follower: sanctions),
                try feedbackProcessor(), samplingJob, reconciler, runtime.auditHeadPublisher]
    }
}

extension SmartReviewAssembly {
    /// Follows the institutions' credit grades, which weigh on the penalties the workbench proposes, and
    /// credit's sanctions, which the review enforces (`SanctionFollower`).
    /// The review of every accepted claim. No inbox: a claim stored in the archive is a claim
    /// reviewed (one transaction), and the reviewer leaves out the claims already stored
    /// (`ClaimReviewer.apply`). A process has one reviewer; tests give a second its own.
    func claimsProcessor(topics: [String] = [Topic.claimsAccepted], reviewer: ClaimReviewer? = nil) throws -> EventProcessor {
        let reviewer = reviewer ?? self.reviewer
        return try runtime.makeBatchProcessor(name: "claims", topics: topics, idempotence: .handler) { events, connection, logger in
            try await reviewer.apply(events, on: connection, logger: logger)
        }
    }

    func creditProcessor(topics: [String] = [Topic.creditChanges]) throws -> EventProcessor {
        let standing = CreditStanding(database: runtime.database)
        let sanctions = SanctionFollower(database: runtime.database, reference: reference)
        return try runtime.makeProcessor(name: "credit", topics: topics) { event, connection, logger in
            try await standing.apply(event, on: connection, logger: logger)
            try await sanctions.apply(event, on: connection)
        }
    }

    /// Follows the agencies' acknowledgements and decisions on published cases (notification.feedback).
    func feedbackProcessor(topics: [String] = [Topic.notificationFeedback]) throws -> EventProcessor {
        let receiver = AgencyFeedbackReceiver(database: runtime.database)
        return try runtime.makeProcessor(name: "feedback", topics: topics) { event, connection, logger in
            try await receiver.apply(event, on: connection, logger: logger)
        }
    }

    /// Takes whistle-blower reports from intake into the workbench (the reference data give their region).
    func reportsProcessor(topics: [String] = [Topic.reportsReceived]) throws -> EventProcessor {
        let receiver = ReportReceiver(database: runtime.database, reference: reference)
        return try runtime.makeProcessor(name: "reports", topics: topics) { event, connection, logger in
            try await receiver.apply(event, on: connection, logger: logger)
        }
    }
}
