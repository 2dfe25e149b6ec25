import Foundation
import Hummingbird
import NotificationRules
import Persistence
import PostgresNIO
import ServiceKit

/// Subscribers, secrets and subscriptions: the bureau operator's token guards every route.
struct AdminRoutes: Sendable {
    let store: SubscriberStore
    let adminToken: String
    var database: Database { store.database }
    var schema: String { database.schema }

    struct NewSubscription: Codable, Sendable {
        var id: String?
        var subscriberId: String
        var filter: FilterRequest?
    }

    /// A subscription filter as sent: every field may be left out (meaning "any").
    struct FilterRequest: Codable, Sendable {
        var regions: Set<String>?
        var regionScope: RegionScope?
        var patterns: Set<String>?
        var minimumSeverity: Int?
        var minimumAmount: Decimal?
        var kinds: Set<NoticeKind>?

        var filter: SubscriptionFilter {
            SubscriptionFilter(regions: regions ?? [], regionScope: regionScope ?? .careAndInsured, patterns: patterns ?? [],
                               minimumSeverity: minimumSeverity ?? 1, minimumAmount: minimumAmount ?? 0, kinds: kinds ?? [])
        }
    }

    struct Rotation: Codable, Sendable {
        /// Existing secrets stop signing after this many seconds; nil keeps them until revoked.
        var retireOthersAfterSeconds: Int?
    }

    func register(on router: Router<PlatformRequestContext>) {
        let api = router.group("/api").add(middleware: OperatorMiddleware(token: adminToken))
        api.post("/subscribers") { request, _ in
            try jsonResponse(try await store.create(try await APIJSON.body(request, as: SubscriberStore.NewSubscriber.self)), status: .created)
        }
        api.get("/subscribers") { _, _ in try await database.jsonArray(subscribers(id: nil)) }
        api.get("/subscribers/:subscriber_id") { _, context in
            let id = try context.parameters.require("subscriber_id")
            return try await database.jsonObject(subscribers(id: id), missing: "no subscriber \(id)")
        }
        api.delete("/subscribers/:subscriber_id") { _, context in
            try await deactivate("subscribers", id: try context.parameters.require("subscriber_id"))
        }
        api.post("/subscribers/:subscriber_id/secrets") { request, context in
            let rotation = (try? await APIJSON.body(request, as: Rotation.self)) ?? Rotation()
            return try jsonResponse(try await store.rotate(try context.parameters.require("subscriber_id"),
                                                           retireOthersAfter: rotation.retireOthersAfterSeconds), status: .created)
        }
        api.get("/subscribers/:subscriber_id/secrets") { _, context in
            let id = try context.parameters.require("subscriber_id")
            return try await database.jsonArray("""
                SELECT id, created_at, expires_at, (expires_at IS NULL OR expires_at > now()) AS active
                FROM \(unescaped: schema).webhook_secrets WHERE subscriber_id = \(id) ORDER BY id
                """)
        }
        api.delete("/subscribers/:subscriber_id/secrets/:secret_id") { _, context in
            guard let secret = Int64(try context.parameters.require("secret_id")) else { throw HTTPError(.badRequest, message: "secret_id is a number") }
            try await store.revokeSecret(try context.parameters.require("subscriber_id"), secretID: secret)
            return Response(status: .noContent)
        }
        api.post("/subscriptions") { request, _ in
            let new = try await APIJSON.body(request, as: NewSubscription.self)
            let id = try await store.addSubscription(id: new.id, subscriberID: new.subscriberId, filter: new.filter?.filter ?? SubscriptionFilter())
            return try jsonResponse(["id": id], status: .created)
        }
        api.get("/subscriptions") { _, _ in
            try await database.jsonArray("""
                SELECT id, subscriber_id, filter, active, created_at FROM \(unescaped: schema).subscriptions ORDER BY id
                """)
        }
        api.delete("/subscriptions/:subscription_id") { _, context in
            try await deactivate("subscriptions", id: try context.parameters.require("subscription_id"))
        }
    }

    /// Secrets and token hashes never leave the service.
    private func subscribers(id: String?) -> PostgresQuery {
        """
        SELECT id, type, name, jurisdiction, institution_code, channel, url, max_in_flight, ordered, active, created_at
        FROM \(unescaped: schema).subscribers WHERE (\(id)::text IS NULL OR id = \(id)) ORDER BY id
        """
    }

    /// Deactivated, not deleted: the deliveries and feedback that refer to it stay on record.
    private func deactivate(_ table: String, id: String) async throws -> Response {
        let rows = try await database.client.query("""
            UPDATE \(unescaped: schema).\(unescaped: table) SET active = false WHERE id = \(id) RETURNING 1
            """, logger: database.logger)
        guard try await rows.decode(Int.self).first(where: { _ in true }) != nil else { throw HTTPError(.notFound, message: "no \(id)") }
        return Response(status: .noContent)
    }
}

/// Rejects a request to the operator API without the operator's bearer token.
struct OperatorMiddleware: RouterMiddleware {
    typealias Context = PlatformRequestContext
    let token: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try requireOperator(request, token: token)
        return try await next(request, context)
    }
}
