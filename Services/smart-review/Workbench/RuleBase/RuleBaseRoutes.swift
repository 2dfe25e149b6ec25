import Foundation
import Hummingbird
import ReferenceData
import RuleEngine
import ServiceKit

/// The rule base's HTTP API: anyone reads the current version; an operator publishes the next one.
struct RuleBaseRoutes: Sendable {
    let ruleBase: RuleBase
    let reference: ReferenceData
    let operators: OperatorGate

    func register(on router: Router<PlatformRequestContext>) {
        router.get("/api/rules") { _, _ in try jsonResponse(try reference.engine.rules) }
        router.put("/api/rules") { request, _ in
            let publisher = try await operators.require(request, [.rulePublisher])
            let body = try await request.body.collect(upTo: 16 << 20)
            let rules: RuleSet
            do {
                rules = try JSONDecoder().decode(RuleSet.self, from: Data(buffer: body))
            } catch {
                throw HTTPError(.badRequest, message: "rule set is not valid JSON of the rule-base schema: \(error)")
            }
            try await ruleBase.publish(rules, by: publisher)
            return try jsonResponse(["version": rules.version])
        }
    }
}
