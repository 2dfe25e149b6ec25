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
    let adminToken: String
    let workbench: Workbench

    func register(on router: Router<PlatformRequestContext>) {
        WorkbenchRoutes(workbench: workbench).register(on: router)
        RuleBaseRoutes(ruleBase: ruleBase, reference: reference, adminToken: adminToken).register(on: router)
        router.get("/api/coverage") { _, _ in try jsonResponse(try await coverage.report()) }
        router.post("/api/coverage/reconcile") { request, _ in
            _ = try requireAdmin(request)
            return try jsonResponse(["closed": try await reconciler.reconcile()])
        }
        router.post("/api/replay") { request, _ in
            _ = try requireAdmin(request)
            let body = try await request.body.collect(upTo: 16 << 20)
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            let replayRequest: Replay.Request
            do {
                replayRequest = try decoder.decode(Replay.Request.self, from: Data(buffer: body))
            } catch {
                throw HTTPError(.badRequest, message: "expected {from, to, dry_run, rule_set?}: \(error)")
            }
            return try jsonResponse(try await replay.run(replayRequest))
        }
        router.get("/api/statistics") { request, _ in
            try jsonResponse(try await disclosure.statistics(period: request.uri.queryParameters.get("period") ?? ""))
        }
        router.post("/api/statistics/publish") { request, _ in
            _ = try requireAdmin(request)
            return try jsonResponse(try await disclosure.publish(period: request.uri.queryParameters.get("period") ?? ""))
        }
        router.get("/api/findings/summary") { _, _ in try jsonResponse(try await findingsPerPattern()) }
        router.get("/api/reference") { _, _ in try jsonResponse(["version": try reference.knowledgeBase.version]) }
        router.put("/api/reference/:file") { request, context in
            _ = try requireAdmin(request)
            let file = try context.parameters.require("file")
            let body = try await request.body.collect(upTo: 64 << 20)
            do {
                return try jsonResponse(["file": file, "version": try await reference.replace(file, content: String(buffer: body))])
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
        let rows = try await database.client.query("SELECT pattern, count(*) FROM \(unescaped: database.schema).findings WHERE withdrawn_at IS NULL GROUP BY 1",
                                                   logger: database.logger)
        var counts: [String: Int] = [:]
        for try await (pattern, count) in rows.decode((String, Int).self) { counts[pattern] = count }
        return counts
    }

    private func requireAdmin(_ request: Request) throws -> String { try requireOperator(request, token: adminToken) }
}
