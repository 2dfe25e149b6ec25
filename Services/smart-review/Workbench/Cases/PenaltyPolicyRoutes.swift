import Foundation
import Hummingbird
import ReviewWorkflow
import ServiceKit

/// The penalty policy's operator API: anyone on the platform reads the version in force; the bureau's
/// operator publishes the next one (a JSON `PenaltyPolicy` in snake_case).
struct PenaltyPolicyRoutes: Sendable {
    let base: PenaltyPolicyBase
    let operators: OperatorGate

    func register(on router: Router<PlatformRequestContext>) {
        router.get("/api/penalty-policy") { _, _ in try jsonResponse(base.current.value) }
        router.put("/api/penalty-policy") { request, _ in
            let publisher = try await operators.require(request, [.rulePublisher])
            let policy = try await decodeBody(PenaltyPolicy.self, from: request)
            try await base.publish(policy, by: publisher)
            return try jsonResponse(["version": policy.version])
        }
    }
}
