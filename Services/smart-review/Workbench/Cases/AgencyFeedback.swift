import Events
import Foundation
import Logging
import Persistence
import PostgresNIO

/// What one agency the case was sent to has answered (notification.feedback): when it acknowledged,
/// what it decided (e.g. police: case_opened / not_opened), and whether its acknowledgement is overdue.
struct AgencyFeedback: Codable, Sendable, Equatable {
    var deliveryId: String
    var subscriberId: String
    /// police, disciplineInspection, … (NotificationRules.SubscriberType raw values)
    var subscriberType: String
    var acknowledgedAt: Date?
    var decision: String?
    var note: String?
    /// notification escalated the delivery (no acknowledgement by its due time) and none came since.
    var overdue: Bool
}

/// Takes `notification.feedback` onto the cases, once per feedback id (a redelivery changes nothing).
struct AgencyFeedbackReceiver: Sendable {
    struct Malformed: PermanentEventError, CustomStringConvertible { let description: String }

    let database: Database

    func apply(_ event: CloudEvent, on connection: PostgresConnection, logger: Logger) async throws {
        let feedback: DeliveryFeedback
        do { feedback = try event.decode(DeliveryFeedback.self) } catch {
            throw Malformed(description: "notification.feedback event \(event.id) cannot be read: \(error)")
        }
        try await CaseStore(database: database).insert(feedback, on: connection)
    }
}

extension CaseStore {
    func insert(_ feedback: DeliveryFeedback, on connection: PostgresConnection) async throws {
        try await connection.query("""
            INSERT INTO \(unescaped: schema).case_feedback (feedback_id, case_id, delivery_id, subscriber_id, subscriber_type, kind, decision, note, received_at)
            VALUES (\(feedback.feedbackId), \(feedback.caseId), \(feedback.deliveryId), \(feedback.subscriberId), \(feedback.subscriberType),
                    \(feedback.kind), \(feedback.decision), \(feedback.note), \(feedback.receivedAt))
            ON CONFLICT (feedback_id) DO NOTHING
            """, logger: database.logger)
    }

    /// Per delivery of the case: the first answer as acknowledgement, the latest decision, and the overdue
    /// flag of an escalation no answer has followed.
    func agencyFeedback(_ caseID: String, on connection: PostgresConnection) async throws -> [AgencyFeedback] {
        let rows = try await connection.query("""
            SELECT delivery_id, subscriber_id, subscriber_type,
                   min(received_at) FILTER (WHERE kind IN ('acknowledged', 'decision')),
                   (array_agg(decision ORDER BY received_at DESC) FILTER (WHERE kind = 'decision'))[1],
                   (array_agg(note ORDER BY received_at DESC) FILTER (WHERE kind = 'decision'))[1],
                   bool_or(kind = 'overdue') AND NOT bool_or(kind IN ('acknowledged', 'decision'))
            FROM \(unescaped: schema).case_feedback WHERE case_id = \(caseID)
            GROUP BY delivery_id, subscriber_id, subscriber_type ORDER BY subscriber_type, subscriber_id, delivery_id
            """, logger: database.logger)
        var agencies: [AgencyFeedback] = []
        for try await (delivery, subscriber, type, acknowledged, decision, note, overdue)
            in rows.decode((String, String, String, Date?, String?, String?, Bool).self) {
            agencies.append(AgencyFeedback(deliveryId: delivery, subscriberId: subscriber, subscriberType: type, acknowledgedAt: acknowledged,
                                           decision: decision, note: note, overdue: overdue))
        }
        return agencies
    }
}
