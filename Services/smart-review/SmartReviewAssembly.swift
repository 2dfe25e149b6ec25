import Events
import Hummingbird
import Persistence
import ReferenceData
import ServiceKit
import ServiceLifecycle

/// Wires smart-review's parts to the runtime: used by main and by the tests alike.
///
/// | variable | default | meaning |
/// |---|---|---|
/// | `REVIEW_REFERENCE_DIR` | reference/kb | CSV files loaded when the database has none yet |
/// | `REVIEW_ADMIN_TOKEN` | — (required) | bearer token of the bureau's operators |
/// | `REVIEW_RECONCILE_SECONDS` | 30 | how often coverage gaps are closed |
struct SmartReviewAssembly: Sendable {
    let runtime: PlatformRuntime
    let reference: ReferenceData
    let reviewer: ClaimReviewer
    let ruleBase: RuleBase
    let reconciler: Reconciler
    let adminToken: String

    init(runtime: PlatformRuntime) throws {
        let env = runtime.configuration.environment, database = runtime.database
        self.runtime = runtime
        reference = ReferenceData(database: database, seedDirectory: env.string("REVIEW_REFERENCE_DIR", default: "reference/kb"))
        reviewer = ClaimReviewer(database: database, reference: reference)
        ruleBase = RuleBase(database: database, reference: reference)
        reconciler = Reconciler(coverage: Coverage(database: database), reviewer: reviewer,
                                interval: .seconds(try env.int("REVIEW_RECONCILE_SECONDS", default: 30, range: 1...86_400)))
        adminToken = try env.required("REVIEW_ADMIN_TOKEN")
    }

    func router() -> Router<PlatformRequestContext> {
        let router = runtime.makeRouter(extraChecks: [ReadinessCheck("reference data") { [reference] in reference.isLoaded }])
        ReviewRoutes(ruleBase: ruleBase, coverage: reconciler.coverage, reconciler: reconciler, reference: reference,
                     replay: Replay(database: runtime.database, reference: reference),
                     disclosure: Disclosure(database: runtime.database, reference: reference), adminToken: adminToken).register(on: router)
        return router
    }

    /// Loads the knowledge base and the rule base, then reviews every accepted claim.
    func workers() throws -> [any Service] {
        let reviewer = self.reviewer
        let processor = try runtime.makeProcessor(name: "claims", topics: [Topic.claimsAccepted]) { event, connection, logger in
            try await reviewer.apply(event, on: connection, logger: logger)
        }
        return [ReferenceFollower(reference: reference, then: { [ruleBase] in try await ruleBase.load() }), ConsumerAfterLoad(reference: reference, inner: processor),
                reconciler]
    }
}

/// Starts consuming only once the knowledge base is loaded.
struct ConsumerAfterLoad: Service {
    let reference: ReferenceData
    let inner: any Service

    func run() async throws {
        while !reference.isLoaded {
            if Task.isShuttingDownGracefully { return }
            try? await Task.sleep(for: .milliseconds(100))
        }
        try await inner.run()
    }
}
