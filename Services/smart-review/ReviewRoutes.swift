import AuditTrail
import Foundation
import PostgresNIO
import Hummingbird
import ReferenceData
import ServiceKit

/// smart-review's HTTP API (Resources/smart-review.yaml).
struct ReviewRoutes: Sendable {
    let ruleBase: RuleBase
    let coverage: Coverage
    let reconciler: Reconciler
    let reference: ReferenceData
    let replay: Replay
    let disclosure: Disclosure
    let operators: OperatorGate
    let workbench: Workbench
    var audit: AuditStore { AuditStore(database: coverage.database) }

    func register(on router: Router<PlatformRequestContext>) {
        WorkbenchRoutes(workbench: workbench).register(on: router)
        RuleBaseRoutes(ruleBase: ruleBase, reference: reference, operators: operators).register(on: router)
        router.get("/api/coverage") { _, _ in try jsonResponse(try await coverage.report()) }
        router.post("/api/coverage/reconcile") { request, _ in
            let person = try await operators.require(request, [.rulePublisher, .platformAdministrator])
            let closed = try await reconciler.reconcile()
            try await audit.record(by: person, "coverage.reconciled", subject: "coverage", details: ["closed": "\(closed)"])
            return try jsonResponse(["closed": closed])
        }
        router.post("/api/replay") { request, _ in
            let person = try await operators.require(request, [.rulePublisher])
            let body = try await request.body.collect(upTo: 16 << 20)
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            let replayRequest: Replay.Request
            do {
                replayRequest = try decoder.decode(Replay.Request.self, from: Data(buffer: body))
            } catch {
                throw HTTPError(.badRequest, message: "expected {from, to, dry_run, rule_set?}: \(error)")
            }
            let report = try await replay.run(replayRequest)
            try await audit.record(by: person, "replay.run", subject: "replay:\(replayRequest.from)..\(replayRequest.to)",
                                   details: ["dry_run": "\(replayRequest.dryRun)", "rule_set": replayRequest.ruleSet.map { "\($0.version)" } ?? "current"])
            return try jsonResponse(report)
        }
        router.get("/api/statistics") { request, _ in
            try jsonResponse(try await disclosure.statistics(period: request.uri.queryParameters.get("period") ?? ""))
        }
        router.post("/api/statistics/publish") { request, _ in
            let person = try await operators.require(request, [.rulePublisher])
            let period = request.uri.queryParameters.get("period") ?? ""
            let published = try await disclosure.publish(period: period)
            try await audit.record(by: person, "statistics.published", subject: "statistics:\(period)", details: ["institutions": "\(published.count)"])
            return try jsonResponse(published)
        }
        router.get("/api/findings/summary") { _, _ in try jsonResponse(try await findingsPerPattern()) }
        router.get("/api/reference") { _, _ in try jsonResponse(["version": try reference.knowledgeBase.version]) }
        router.put("/api/reference/:file") { request, context in
            let person = try await operators.require(request, [.referenceDataMaintainer])
            let file = try context.parameters.require("file")
            let body = try await request.body.collect(upTo: 64 << 20)
            let audit = self.audit
            do {
                let version = try await reference.replace(file, content: String(buffer: body)) { connection, version in
                    try await audit.append(by: person, "reference.replaced", subject: "reference:\(file)", details: ["version": version], on: connection)
                }
                return try jsonResponse(["file": file, "version": version])
            } catch let error as HTTPError {
                throw error
            } catch {
                throw HTTPError(.badRequest, message: "\(file) refused: \(error)")
            }
        }
        router.get("/openapi.yaml") { _, _ in try openAPIResponse(Bundle.module.url(forResource: "smart-review", withExtension: "yaml")) }
    }

    private func findingsPerPattern() async throws -> [String: Int] {
        let database = coverage.database
        let rows = try await database.query("SELECT pattern, count(*) FROM \(unescaped: database.schema).findings WHERE withdrawn_at IS NULL GROUP BY 1",
                                                   logger: database.logger)
        var counts: [String: Int] = [:]
        for try await (pattern, count) in rows.decode((String, Int).self) { counts[pattern] = count }
        return counts
    }
}
