import AuditTrail
import Events
import Hummingbird
import Persistence
import ServiceKit
import ServiceLifecycle

/// Wires notification's parts to the runtime: used by main and by the tests alike.
struct NotificationAssembly: Sendable {
    let runtime: PlatformRuntime
    let configuration: NotificationConfiguration
    let subscribers: SubscriberStore
    let deliveries: DeliveryStore
    let planner: DeliveryPlanner

    /// The topics the planner consumes.
    static let topics = [Topic.reviewOutcomes, Topic.creditChanges, Topic.inspectionPlans]

    init(runtime: PlatformRuntime, configuration: NotificationConfiguration) {
        self.runtime = runtime
        self.configuration = configuration
        subscribers = SubscriberStore(database: runtime.database, sealer: configuration.sealer)
        deliveries = DeliveryStore(database: runtime.database, retry: configuration.retry, ackWindowSeconds: configuration.ackWindowSeconds,
                                   sealer: configuration.sealer)
        planner = DeliveryPlanner(schema: runtime.database.schema)
    }

    func router() -> Router<PlatformRequestContext> {
        let router = runtime.makeRouter()
        AdminRoutes(store: subscribers, operators: runtime.operators).register(on: router)
        DeliveryRoutes(deliveries: deliveries, feedback: FeedbackDesk(database: runtime.database), subscribers: subscribers,
                       operators: runtime.operators).register(on: router)
        router.addAuditRoutes(store: AuditStore(database: runtime.database), operators: runtime.operators)
        PublicRoutes(feed: PublicFeed(database: runtime.database, baseURL: configuration.publicBaseURL),
                     statistics: StatisticsFeed(database: runtime.database),
                     auditHeads: AuditHeadsFeed(database: runtime.database)).register(on: router)
        return router
    }

    func processor(topics: [String] = topics) throws -> EventProcessor {
        try runtime.makeProcessor(name: "notices", topics: topics) { [planner] event, connection, logger in
            try await planner.apply(event, on: connection, logger: logger)
        }
    }

    /// Per-institution figures for the public feed, from `review.statistics`.
    func statisticsProcessor(topics: [String] = [Topic.reviewStatistics]) throws -> EventProcessor {
        let feed = StatisticsFeed(database: runtime.database)
        return try runtime.makeProcessor(name: "statistics", topics: topics) { event, connection, _ in
            try await feed.apply(event, on: connection)
        }
    }

    func dispatcher() -> Dispatcher { Dispatcher(store: deliveries, configuration: configuration, logger: runtime.logger) }

    func escalation() -> EscalationWatch { EscalationWatch(database: runtime.database, interval: configuration.escalationInterval) }

    func workers() throws -> [any Service] {
        [try processor(), try statisticsProcessor(), try auditHeadsProcessor(), dispatcher(), escalation(), runtime.auditHeadPublisher,
         SecretResealing(store: subscribers)]
    }

    /// Every service's audit chain heads (`audit.<service>`), shown on the public feed.
    func auditHeadsProcessor(topics: [String] = Topic.auditedServices.map(Topic.auditHeads)) throws -> EventProcessor {
        let heads = AuditHeadsFeed(database: runtime.database)
        return try runtime.makeProcessor(name: "audit-heads", topics: topics) { event, connection, _ in
            try await heads.apply(event, on: connection)
        }
    }
}
