import Foundation
import Hummingbird
import NotificationRules
import OperatorAccess
import Persistence
import PostgresNIO
import ServiceKit

/// Subscribers, secrets and subscriptions: notification administrators change them, auditors may read.
struct AdminRoutes: Sendable {
    let store: SubscriberStore
    let operators: OperatorGate
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
        /// The least grave case wanted: minor, general, serious, fraud (or 1-4).
        var minimumGravity: Gravity?
        /// Before gravity (1 low … 3 high): still accepted, read as the gravity of the same number.
        var minimumSeverity: Int?
        var minimumAmount: Decimal?
        var kinds: Set<NoticeKind>?

        var filter: SubscriptionFilter {
            SubscriptionFilter(regions: regions ?? [], regionScope: regionScope ?? .careAndInsured, patterns: patterns ?? [],
                               minimumGravity: minimumGravity ?? minimumSeverity.flatMap { Gravity(rawValue: min(max($0, 1), 4)) } ?? .minor, minimumAmount: minimumAmount ?? 0, kinds: kinds ?? [])
        }
    }

    struct Rotation: Codable, Sendable {
        /// Existing secrets stop signing after this many seconds; nil keeps them until revoked.
        var retireOthersAfterSeconds: Int?
    }

    func register(on router: Router<PlatformRequestContext>) {
        let api = router.group("/api")
        let admin: Set<OperatorRole> = [.notificationAdministrator], readers: Set<OperatorRole> = [.notificationAdministrator, .auditor]
        api.post("/subscribers") { request, _ in
            let person = try await operators.require(request, admin)
            return try jsonResponse(try await store.create(try await APIJSON.body(request, as: SubscriberStore.NewSubscriber.self), by: person),
                                    status: .created)
        }
        api.get("/subscribers") { request, _ in
            _ = try await operators.require(request, readers)
            return try await database.jsonArray(subscribers(id: nil))
        }
        api.get("/subscribers/:subscriber_id") { request, context in
            _ = try await operators.require(request, readers)
            let id = try context.parameters.require("subscriber_id")
            return try await database.jsonObject(subscribers(id: id), missing: "no subscriber \(id)")
        }
        api.delete("/subscribers/:subscriber_id") { request, context in
            let person = try await operators.require(request, admin)
            try await store.deactivate("subscribers", id: try context.parameters.require("subscriber_id"), by: person)
            return Response(status: .noContent)
        }
        api.post("/subscribers/:subscriber_id/secrets") { request, context in
            let person = try await operators.require(request, admin)
            let rotation = (try? await APIJSON.body(request, as: Rotation.self)) ?? Rotation()
            return try jsonResponse(try await store.rotate(try context.parameters.require("subscriber_id"),
                                                           retireOthersAfter: rotation.retireOthersAfterSeconds, by: person), status: .created)
        }
        api.get("/subscribers/:subscriber_id/secrets") { request, context in
            _ = try await operators.require(request, readers)
            let id = try context.parameters.require("subscriber_id")
            return try await database.jsonArray("""
                SELECT id, created_at, expires_at, (expires_at IS NULL OR expires_at > now()) AS active
                FROM \(unescaped: schema).webhook_secrets WHERE subscriber_id = \(id) ORDER BY id
                """)
        }
        api.delete("/subscribers/:subscriber_id/secrets/:secret_id") { request, context in
            let person = try await operators.require(request, admin)
            guard let secret = Int64(try context.parameters.require("secret_id")) else { throw HTTPError(.badRequest, message: "secret_id is a number") }
            try await store.revokeSecret(try context.parameters.require("subscriber_id"), secretID: secret, by: person)
            return Response(status: .noContent)
        }
        api.post("/subscriptions") { request, _ in
            let person = try await operators.require(request, admin)
            let new = try await APIJSON.body(request, as: NewSubscription.self)
            let id = try await store.addSubscription(id: new.id, subscriberID: new.subscriberId, filter: new.filter?.filter ?? SubscriptionFilter(),
                                                     by: person)
            return try jsonResponse(["id": id], status: .created)
        }
        api.get("/subscriptions") { request, _ in
            _ = try await operators.require(request, readers)
            return try await database.jsonArray("""
                SELECT id, subscriber_id, filter, active, created_at FROM \(unescaped: schema).subscriptions ORDER BY id
                """)
        }
        api.delete("/subscriptions/:subscription_id") { request, context in
            let person = try await operators.require(request, admin)
            try await store.deactivate("subscriptions", id: try context.parameters.require("subscription_id"), by: person)
            return Response(status: .noContent)
        }
    }

    /// Secrets and token hashes never leave the service.
    private func subscribers(id: String?) -> PostgresQuery {
        """
        SELECT id, type, name, jurisdiction, institution_code, channel, url, max_in_flight, ordered, active, created_at
        FROM \(unescaped: schema).subscribers WHERE (\(id)::text IS NULL OR id = \(id)) ORDER BY id
        """
    }
}
