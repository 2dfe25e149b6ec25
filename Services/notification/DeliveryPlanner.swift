import Events
import Foundation
import Logging
import NotificationRules
import PostgresNIO

/// Applies a consumed event (inside the EventProcessor's transaction, so a redelivered event
/// changes nothing): routes the notice, writes one delivery per receiver with its minimised
/// body, records rules nobody could receive, and feeds the public disclosure.
struct DeliveryPlanner: Sendable {
    let schema: String
    var rules: RoutingRuleSet = .defaults
    var policies: FieldPolicies = .defaults

    func apply(_ event: CloudEvent, on connection: PostgresConnection, logger: Logger) async throws {
        let notice = try NoticeMapping.notice(from: event)
        let subscriptions = try await SubscriberDirectory.load(schema: schema, on: connection, logger: logger)
        let plan = route(notice, rules: rules, subscriptions: subscriptions)
        for entry in plan.deliveries {
            try await insertDelivery(entry, notice: notice, event: event, on: connection, logger: logger)
        }
        try await recordUnrouted(plan.unrouted, notice: notice, event: event, on: connection, logger: logger)
        try await PublicFeed.publish(notice, event: event, rules: rules, schema: schema, on: connection, logger: logger)
        logger.debug("routed", metadata: ["case": "\(notice.caseId)", "deliveries": "\(plan.deliveries.count)"])
    }

    private func insertDelivery(_ entry: DeliveryPlanEntry, notice: CaseNotice, event: CloudEvent,
                                on connection: PostgresConnection, logger: Logger) async throws {
        let id = DeliveryEnvelope.deliveryID(eventID: event.id, subscriberID: entry.subscriberId)
        let body = try DeliveryEnvelope.body(id: id, entry: entry, notice: notice, eventType: event.type, policies: policies)
        let reasons = String(decoding: try JSONEncoder().encode(entry.reasons), as: UTF8.self)
        try await connection.query("""
            INSERT INTO \(unescaped: schema).deliveries
              (id, event_id, event_type, case_id, subscriber_id, notice_type, reasons, deadline, expects_feedback, body)
            VALUES (\(id), \(event.id), \(event.type), \(notice.caseId), \(entry.subscriberId), \(entry.noticeType.rawValue),
                    \(reasons)::jsonb, \(entry.deadline), \(entry.expectsFeedback), \(body))
            ON CONFLICT (id) DO NOTHING
            """, logger: logger)
    }

    /// A referral the documents require but no registered receiver covers is kept for the
    /// supervisor (`GET /api/unrouted`) instead of being dropped. The public feed is this service's own.
    private func recordUnrouted(_ unrouted: [UnroutedRule], notice: CaseNotice, event: CloudEvent,
                                on connection: PostgresConnection, logger: Logger) async throws {
        for rule in unrouted {
            if case .agencies(.publicFeed, _) = rule.target { continue }
            if case .institutionConcerned = rule.target, notice.institution.code.isEmpty { continue }
            try await connection.query("""
                INSERT INTO \(unescaped: schema).unrouted (event_id, case_id, rule_id, region)
                VALUES (\(event.id), \(notice.caseId), \(rule.ruleId), \(rule.region ?? "")) ON CONFLICT DO NOTHING
                """, logger: logger)
            logger.warning("no receiver for a required referral", metadata: ["case": "\(notice.caseId)", "rule": "\(rule.ruleId)"])
        }
    }
}
