import AuditTrail
import ClaimArchive
import Events
import Hummingbird
import OperatorDirectory
import Persistence
import ReferenceData
import ServiceKit
import ServiceLifecycle

/// Wires intake's parts to the runtime: used by main and by the tests alike.
struct IntakeAssembly: Sendable {
    let runtime: PlatformRuntime
    let configuration: IntakeConfiguration
    let reference: ReferenceData
    let store: ClaimStore
    /// Where the lines of bulk backfills are read and checked (`INTAKE_BULK_THREADS`; nil: on the event loops).
    let bulkExecutor: LowPriorityExecutor?

    init(runtime: PlatformRuntime, configuration: IntakeConfiguration) {
        self.runtime = runtime
        self.configuration = configuration
        self.reference = ReferenceData(database: runtime.database, seedDirectory: configuration.referenceDirectory)
        self.store = ClaimStore(archive: ClaimArchive(database: runtime.database, cache: ClaimCache(capacity: configuration.claimCache),
                                                     recordsWithHistory: true),
                                events: ClaimStore.EventCache(capacity: configuration.eventCache, key: \.claimID))
        self.bulkExecutor = configuration.bulkThreads > 0 ? LowPriorityExecutor(name: "bulk", threads: configuration.bulkThreads) : nil
    }

    func router() throws -> Router<PlatformRequestContext> {
        let router = runtime.makeRouter(extraChecks: [ReadinessCheck("reference data") { [reference] in reference.isLoaded }])
        OperatorDirectoryRoutes(accounts: OperatorAccounts(database: runtime.database, bootstrap: configuration.bootstrap),
                                operators: runtime.operators).register(on: router)
        router.addAuditRoutes(store: AuditStore(database: runtime.database), operators: runtime.operators)
        // Group commits in lanes: the settlement calls share rounds among themselves, and so do
        // the bulk pushes (over `INTAKE_BULK_LANES` of their own). A 3102 call is a HIS waiting at the cashier's desk; in one lane it waited
        // for the bulk round in progress (hundreds of claims) and then for its own.
        IntakeRoutes(gateway: DefaultHospitalGateway(database: runtime.database, reference: reference,
                                                     commits: GroupCommit(store: store, lane: "settlement", overlapsRounds: true),
                                                     maxPatients: configuration.maxPatients, maxEventBytes: runtime.producer.maxMessageBytes),
                     bulk: BulkIntake(reference: reference, lanes: bulkLanes(),
                                      maxEventBytes: runtime.producer.maxMessageBytes, executor: bulkExecutor),
                     credentials: Credentials(database: runtime.database),
                     limiter: RateLimiter(ratePerSecond: configuration.ratePerSecond), reference: reference,
                     reports: Reports(database: runtime.database, reference: reference, keyData: configuration.reportKey),
                     operators: runtime.operators, configuration: configuration).register(on: router)
        return router
    }

    /// The bulk path's group commits: `bulk`, then `bulk-2` … in the metrics.
    private func bulkLanes() -> [GroupCommit] {
        (1...configuration.bulkLanes).map { GroupCommit(store: store, lane: $0 == 1 ? "bulk" : "bulk-\($0)", linger: configuration.bulkLinger) }
    }

    /// Loads the reference data, the last rule-base version received and the sanctions followed, then
    /// consumes `his.settlements`, follows `rules.published`, `credit.changes` and reference updates.
    func workers() throws -> [any Service] {
        let settlements = KafkaSettlements(reference: reference, store: store, maxEventBytes: runtime.producer.maxMessageBytes)
        let processor = try runtime.makeProcessor(name: "his-settlements", topics: [Topic.hisSettlements]) { event, connection, _ in
            try await settlements.apply(event, on: connection)
        }
        let rules = ruleFollower, sanctions = sanctionFollower
        return [ReferenceFollower(reference: reference, then: { try await rules.restore(); try await sanctions.restore() }), processor,
                try rulesProcessor(), try reportProgressProcessor(), ConsumerAfterLoad(reference: reference, inner: try sanctionsProcessor()),
                SanctionFollower.Refresh(follower: sanctions), runtime.auditHeadPublisher]
    }

    /// Follows the workbench's steps on whistle-blower reports, for the tracking-number answer.
    func reportProgressProcessor(topics: [String] = [Topic.reportsProgress]) throws -> EventProcessor {
        let follower = ReportProgressFollower(database: runtime.database)
        return try runtime.makeProcessor(name: "report-progress", topics: topics) { event, connection, logger in
            try await follower.apply(event, on: connection, logger: logger)
        }
    }

    var ruleFollower: RuleFollower { RuleFollower(database: runtime.database, reference: reference) }

    func rulesProcessor(topics: [String] = [Topic.rulesPublished]) throws -> EventProcessor {
        let rules = ruleFollower
        return try runtime.makeProcessor(name: "rules", topics: topics) { event, connection, _ in try await rules.apply(event, on: connection) }
    }
}
