import Foundation
import Hummingbird
import NotificationRules
import Persistence
import ServiceKit

/// The public disclosure, open to anyone: decided cases (JSON and Atom), inspection plans and
/// the institutions' figures.
struct PublicRoutes: Sendable {
    let feed: PublicFeed
    let statistics: StatisticsFeed
    let auditHeads: AuditHeadsFeed
    var database: Database { feed.database }

    func register(on router: Router<PlatformRequestContext>) {
        router.get("/public/cases") { request, _ in
            try jsonResponse(try await feed.entries(limit: limit(request)))
        }
        router.get("/public/cases.atom") { request, _ in
            Response(status: .ok, headers: [.contentType: "application/atom+xml; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: try await feed.atom(limit: limit(request)))))
        }
        router.get("/public/cases/:case_id") { _, context in
            let id = try context.parameters.require("case_id")
            return try await database.jsonObject("""
                SELECT entry.* FROM \(unescaped: database.schema).disclosures d, jsonb_to_record(d.entry) AS entry(
                  id text, case_id text, category text, title text, institution_name text, institution_code text, region text,
                  violations jsonb, handling jsonb, amount numeric, decision_date text, legal_basis jsonb, summary text)
                WHERE d.case_id = \(id)
                """, missing: "no published case \(id)")
        }
        router.get("/public/inspections") { request, _ in
            try await database.jsonArray("""
                SELECT plan_id, region, published_at, plan FROM \(unescaped: database.schema).inspection_plans
                ORDER BY published_at DESC LIMIT \(limit(request))
                """)
        }
        router.get("/public/audit-heads") { request, _ in
            try jsonResponse(try await auditHeads.heads(service: request.uri.queryParameters.get("service")))
        }
        router.get("/public/statistics") { request, _ in try await statistics.figures(period: request.uri.queryParameters.get("period")) }
        router.get("/openapi.yaml") { _, _ in try openAPIResponse(Bundle.module.url(forResource: "notification", withExtension: "yaml")) }
    }

    private func limit(_ request: Request) -> Int {
        min(max(request.uri.queryParameters.get("limit", as: Int.self) ?? 50, 1), 500)
    }
}
