import AuditTrail
import Events
import Hummingbird
import Persistence
import ReferenceData
import ServiceKit
import ServiceLifecycle

/// Wires credit's parts to the runtime: used by main and by the tests alike.
struct CreditAssembly: Sendable {
    let runtime: PlatformRuntime
    let configuration: CreditConfiguration
    let reference: ReferenceData
    let outcomes: CaseOutcomes
    let process: FileProcess
    let reports: FileReports
    let regionRisk: RegionRiskService
    let plans: InspectionPlans
    let clock: CreditClock
    let expiry: CreditExpiry

    init(runtime: PlatformRuntime, configuration: CreditConfiguration, clock: CreditClock = .system) {
        let database = runtime.database, schema = database.schema
        let files = FileStore(schema: schema), standing = StandingStore(schema: schema), points = PointsStore(schema: schema)
        let suspensions = SuspensionStore(schema: schema), changes = ChangeLog(schema: schema), agreements = AgreementStore(schema: schema)
        self.runtime = runtime
        self.configuration = configuration
        self.clock = clock
        reference = ReferenceData(database: database, seedDirectory: configuration.referenceDirectory)
        outcomes = CaseOutcomes(files: files, standing: standing, points: points, suspensions: suspensions, agreements: agreements,
                                changes: changes, reference: reference)
        process = FileProcess(database: database, files: files, standing: standing, points: points, suspensions: suspensions,
                              changes: changes, clock: clock)
        reports = FileReports(database: database, files: files, standing: standing, points: points, suspensions: suspensions,
                              agreements: agreements, changes: changes, clock: clock)
        expiry = CreditExpiry(database: database, agreements: agreements, changes: changes, clock: clock)
        regionRisk = RegionRiskService(database: database, reference: reference)
        plans = InspectionPlans(database: database, reference: reference, regionRisk: regionRisk)
    }

    func router() -> Router<PlatformRequestContext> {
        let router = runtime.makeRouter(extraChecks: [ReadinessCheck("reference data") { [reference] in reference.isLoaded }])
        FileRoutes(process: process, reports: reports, operators: runtime.operators).register(on: router)
        PublicRoutes(database: runtime.database, points: reports.points, regionRisk: regionRisk, plans: plans, reference: reference,
                     clock: clock, operators: runtime.operators).register(on: router)
        router.addAuditRoutes(store: AuditStore(database: runtime.database), operators: runtime.operators)
        return router
    }

    /// The consumer of decided cases.
    func outcomeProcessor() throws -> EventProcessor {
        try runtime.makeProcessor(name: "review-outcomes", topics: [configuration.outcomesTopic]) { [outcomes] event, connection, logger in
            try await outcomes.apply(event, on: connection, logger: logger)
        }
    }

    /// Loads the reference data, then consumes `review.outcomes`; ends what is due by the calendar.
    func workers() throws -> [any Service] {
        [ReferenceFollower(reference: reference), try outcomeProcessor(), CreditExpiryJob(expiry: expiry, interval: configuration.expiryInterval),
         runtime.auditHeadPublisher]
    }
}
