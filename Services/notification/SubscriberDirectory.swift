import Foundation
import Logging
import NotificationRules
import PostgresNIO

/// The subscriptions routing sees, read from the database inside the consuming transaction.
///
/// Every active subscriber is also entered once with a filter nothing passes, so that it is in
/// the directory the mandatory rules route to (police receive referrals even with no
/// subscription of their own) without receiving anything else.
enum SubscriberDirectory {
    /// The service's own public feed: it receives what the public-disclosure rules send it.
    static let publicFeed = Subscriber(id: "public-feed", type: .publicFeed, name: "行政执法公示", jurisdiction: "000000")

    /// A filter no notice passes.
    static let nothing = SubscriptionFilter.nothing

    static func directoryEntry(_ subscriber: Subscriber) -> Subscription {
        Subscription(id: "directory:\(subscriber.id)", subscriber: subscriber, filter: nothing)
    }

    static func load(schema: String, on connection: PostgresConnection, logger: Logger) async throws -> [Subscription] {
        var subscribers: [String: Subscriber] = [:]
        let rows = try await connection.query("""
            SELECT id, type, name, jurisdiction, institution_code FROM \(unescaped: schema).subscribers WHERE active
            """, logger: logger)
        for try await (id, type, name, jurisdiction, institution) in rows.decode((String, String, String, String, String?).self) {
            guard let type = SubscriberType(rawValue: type) else { continue }
            subscribers[id] = Subscriber(id: id, type: type, name: name, jurisdiction: jurisdiction, institutionCode: institution)
        }
        var subscriptions = subscribers.values.sorted { $0.id < $1.id }.map(directoryEntry)
        let filters = try await connection.query("""
            SELECT id, subscriber_id, filter::text FROM \(unescaped: schema).subscriptions WHERE active ORDER BY id
            """, logger: logger)
        for try await (id, subscriberID, filter) in filters.decode((String, String, String).self) {
            guard let subscriber = subscribers[subscriberID] else { continue }
            subscriptions.append(Subscription(id: id, subscriber: subscriber,
                                              filter: try APIJSON.decoder.decode(SubscriptionFilter.self, from: Data(filter.utf8))))
        }
        return subscriptions
    }
}
