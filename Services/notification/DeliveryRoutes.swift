import AuditTrail
import Foundation
import Hummingbird
import Persistence
import PostgresNIO
import ServiceKit

/// Deliveries with their attempts, dead letters and replay, feedback and escalations. The
/// operator's token guards all but the receivers' feedback, which takes the subscriber's own token.
struct DeliveryRoutes: Sendable {
    let deliveries: DeliveryStore
    let feedback: FeedbackDesk
    let subscribers: SubscriberStore
    let operators: OperatorGate
    var database: Database { deliveries.database }
    var schema: String { database.schema }

    struct ReplayAll: Codable, Sendable {
        var subscriberId: String
    }

    func register(on router: Router<PlatformRequestContext>) {
        router.post("/api/deliveries/:delivery_id/feedback") { request, context in
            let subscriber = try await receiver(of: request)
            let submission = try await APIJSON.body(request, as: FeedbackDesk.Submission.self)
            return try jsonResponse(try await feedback.submit(submission, deliveryID: try context.parameters.require("delivery_id"),
                                                              subscriberID: subscriber, traceparent: context.trace.traceparent),
                                    status: .created)
        }
        let api = router.group("/api").add(middleware: OperatorMiddleware(operators: operators, roles: [.notificationAdministrator, .auditor]))
        let audit = AuditStore(database: database)
        api.get("/deliveries") { request, _ in
            let query = request.uri.queryParameters
            return try await database.jsonArray(list(subscriber: query.get("subscriber_id"), caseID: query.get("case_id"),
                                                     status: query.get("status"), limit: query.get("limit", as: Int.self) ?? 100))
        }
        api.get("/deliveries/:delivery_id") { _, context in
            let id = try context.parameters.require("delivery_id")
            return try await database.jsonObject(detail(id), missing: "no delivery \(id)")
        }
        api.get("/dead-letters") { request, _ in
            try await database.jsonArray(list(subscriber: request.uri.queryParameters.get("subscriber_id"), caseID: nil, status: "dead", limit: 1000))
        }
        api.post("/dead-letters/:delivery_id/replay") { request, context in
            let person = try await operators.require(request, [.notificationAdministrator])
            let id = try context.parameters.require("delivery_id")
            let replayed = try await deliveries.replay(id: id, subscriberID: nil)
            guard !replayed.isEmpty else { throw HTTPError(.notFound, message: "\(id) is not in the dead-letter list") }
            try await audit.record(by: person, "deliveries.replayed", subject: "delivery:\(id)")
            return try jsonResponse(["replayed": replayed], status: .accepted)
        }
        api.post("/dead-letters/replay") { request, _ in
            let person = try await operators.require(request, [.notificationAdministrator])
            let body = try await APIJSON.body(request, as: ReplayAll.self)
            let replayed = try await deliveries.replay(id: nil, subscriberID: body.subscriberId)
            try await audit.record(by: person, "deliveries.replayed", subject: "subscriber:\(body.subscriberId)", details: ["count": "\(replayed.count)"])
            return try jsonResponse(["replayed": replayed], status: .accepted)
        }
        api.get("/feedback") { request, _ in
            let caseID = request.uri.queryParameters.get("case_id")
            return try await database.jsonArray("""
                SELECT * FROM \(unescaped: schema).feedback WHERE (\(caseID)::text IS NULL OR case_id = \(caseID)) ORDER BY received_at
                """)
        }
        api.get("/escalations") { _, _ in
            try await database.jsonArray("""
                SELECT id AS delivery_id, subscriber_id, case_id, notice_type, delivered_at, ack_due_at, escalated_at
                FROM \(unescaped: schema).deliveries WHERE escalated_at IS NOT NULL AND acknowledged_at IS NULL ORDER BY ack_due_at
                """)
        }
        api.get("/unrouted") { _, _ in
            try await database.jsonArray("SELECT * FROM \(unescaped: schema).unrouted ORDER BY recorded_at")
        }
    }

    /// A receiver authenticates with the token it got when it was registered.
    private func receiver(of request: Request) async throws -> String {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
              let subscriber = try await subscribers.subscriber(ofToken: String(header.dropFirst(7))) else {
            throw HTTPError(.unauthorized, message: "feedback needs the subscriber's token")
        }
        return subscriber
    }

    private func list(subscriber: String?, caseID: String?, status: String?, limit: Int) -> PostgresQuery {
        """
        SELECT id, event_id, event_type, case_id, subscriber_id, notice_type, reasons, deadline, expects_feedback, status, attempts,
               replays, next_attempt_at, last_error, created_at, delivered_at, dead_at, ack_due_at, acknowledged_at, escalated_at
        FROM \(unescaped: schema).deliveries
        WHERE (\(subscriber)::text IS NULL OR subscriber_id = \(subscriber)) AND (\(caseID)::text IS NULL OR case_id = \(caseID))
          AND (\(status)::text IS NULL OR status = \(status))
        ORDER BY seq LIMIT \(min(max(limit, 1), 1000))
        """
    }

    /// The delivery with its body as sent and every attempt with its answer.
    private func detail(_ id: String) -> PostgresQuery {
        """
        SELECT d.id, d.event_id, d.event_type, d.case_id, d.subscriber_id, d.notice_type, d.status, d.attempts, d.replays,
               d.next_attempt_at, d.last_error, d.delivered_at, d.dead_at, d.ack_due_at, d.acknowledged_at, d.escalated_at,
               d.body::json AS body,
               (SELECT coalesce(json_agg(a ORDER BY a.id), '[]') FROM \(unescaped: schema).attempts a WHERE a.delivery_id = d.id) AS attempt_log
        FROM \(unescaped: schema).deliveries d WHERE d.id = \(id)
        """
    }
}
