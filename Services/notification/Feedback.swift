import Events
import Foundation
import Hummingbird
import Logging
import Persistence
import PostgresNIO
import ServiceLifecycle

/// Receivers' answers: an acknowledgement of receipt, later a decision (e.g. police: case
/// opened or not). Each is stored against its delivery and published on `notification.feedback`
/// in the same transaction, for the review side.
struct FeedbackDesk: Sendable {
    let database: Database
    var schema: String { database.schema }

    struct Submission: Codable, Sendable {
        /// acknowledged or decision
        var kind: String
        var decision: String?
        var note: String?
    }

    /// `subscriberID` is the token's owner: a receiver answers for its own deliveries only.
    /// A second acknowledgement of one delivery is neither stored nor published again.
    func submit(_ submission: Submission, deliveryID: String, subscriberID: String, traceparent: String?) async throws -> DeliveryFeedback {
        guard submission.kind == "acknowledged" || (submission.kind == "decision" && submission.decision?.isEmpty == false) else {
            throw HTTPError(.badRequest, message: "kind must be acknowledged, or decision with a decision")
        }
        return try await database.transaction { connection in
            let (caseID, type) = try await delivery(deliveryID, of: subscriberID, on: connection)
            let feedback = DeliveryFeedback(feedbackId: "fb_" + UUID().uuidString.lowercased(), deliveryId: deliveryID, caseId: caseID,
                                            subscriberId: subscriberID, subscriberType: type, kind: submission.kind,
                                            decision: submission.decision, note: submission.note, receivedAt: Date())
            let inserted = try await connection.query("""
                INSERT INTO \(unescaped: schema).feedback (id, delivery_id, subscriber_id, case_id, kind, decision, note, received_at)
                VALUES (\(feedback.feedbackId), \(deliveryID), \(subscriberID), \(caseID), \(feedback.kind), \(feedback.decision),
                        \(feedback.note), \(feedback.receivedAt))
                ON CONFLICT DO NOTHING RETURNING 1
                """, logger: database.logger)
            guard try await inserted.decode(Int.self).first(where: { _ in true }) != nil else { return feedback }
            // Any answer shows receipt.
            try await connection.query("""
                UPDATE \(unescaped: schema).deliveries SET acknowledged_at = coalesce(acknowledged_at, now()) WHERE id = \(deliveryID)
                """, logger: database.logger)
            let event = try CloudEvent(id: feedback.eventID, source: "/notification", type: EventType.feedback,
                                       traceparent: traceparent, encoding: feedback)
            try await Outbox.enqueue(event, topic: Topic.notificationFeedback, key: caseID, schema: schema, on: connection, logger: database.logger)
            return feedback
        }
    }

    private func delivery(_ id: String, of subscriberID: String, on connection: PostgresConnection) async throws -> (String, String) {
        let rows = try await connection.query("""
            SELECT d.case_id, s.type FROM \(unescaped: schema).deliveries d JOIN \(unescaped: schema).subscribers s ON s.id = d.subscriber_id
            WHERE d.id = \(id) AND d.subscriber_id = \(subscriberID)
            """, logger: database.logger)
        for try await row in rows.decode((String, String).self) { return row }
        throw HTTPError(.notFound, message: "no delivery \(id) to this subscriber")
    }
}

/// Marks delivered notices whose acknowledgement is overdue (a referral nobody confirmed), logs
/// each once, leaves them for the supervisor at `GET /api/escalations` and tells smart-review.
struct EscalationWatch: Service {
    let database: Database
    let interval: Duration

    func run() async throws {
        try await repeatUntilShutdown(pause: { [interval] in interval }) { [self] in
            do {
                try await escalate()
            } catch {
                if !Task.isCancelled { database.logger.warning("escalation check failed", metadata: ["error": "\(error)"]) }
            }
        }
    }

    /// Marks the overdue deliveries and tells the review side on `notification.feedback` (kind
    /// `overdue`), in one transaction, so the case shows the agency that has not acknowledged.
    @discardableResult
    func escalate() async throws -> [String] {
        try await database.transaction { connection in
            let rows = try await connection.query("""
                UPDATE \(unescaped: database.schema).deliveries d SET escalated_at = now()
                FROM \(unescaped: database.schema).subscribers s
                WHERE s.id = d.subscriber_id AND d.status = 'delivered' AND d.expects_feedback AND d.acknowledged_at IS NULL
                  AND d.ack_due_at < now() AND d.escalated_at IS NULL
                RETURNING d.id, d.subscriber_id, d.case_id, s.type
                """, logger: database.logger)
            var escalated: [String] = []
            for try await (id, subscriber, caseID, type) in rows.decode((String, String, String, String).self) {
                database.logger.warning("acknowledgement overdue", metadata: ["delivery": "\(id)", "subscriber": "\(subscriber)", "case": "\(caseID)"])
                let overdue = DeliveryFeedback(feedbackId: "overdue:\(id)", deliveryId: id, caseId: caseID, subscriberId: subscriber,
                                               subscriberType: type, kind: "overdue", decision: nil, note: nil, receivedAt: Date())
                let event = try CloudEvent(id: overdue.eventID, source: "/notification", type: EventType.feedback, encoding: overdue)
                try await Outbox.enqueue(event, topic: Topic.notificationFeedback, key: caseID, schema: database.schema, on: connection,
                                         logger: database.logger)
                escalated.append(id)
            }
            return escalated
        }
    }
}
