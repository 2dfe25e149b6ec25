import Foundation

/// An agency's receiver as notification registers it (`POST /api/subscribers`), with the subscription
/// filter it asks for; the receiver types are `NotificationRules.SubscriberType`'s raw values.
public struct AgencyReceiver: Codable, Sendable {
    public var id: String
    /// police, disciplineInspection, healthCommission, marketRegulation, drugAdministration, audit, insuranceBureau …
    public var type: String
    public var name: String
    /// The region (admdvs) the agency answers for.
    public var jurisdiction: String
    public var url: String

    public init(id: String, type: String, name: String, jurisdiction: String, url: String) {
        self.id = id
        self.type = type
        self.name = name
        self.jurisdiction = jurisdiction
        self.url = url
    }
}

/// What notification hands out once at registration: the feedback token and the first signing secret.
public struct ReceiverCredentials: Codable, Sendable {
    public struct Secret: Codable, Sendable {
        public var id: Int64
        public var secret: String
    }

    public var subscriberId: String
    public var token: String
    public var secret: Secret?
}

/// One row of notification's delivery list (`GET /api/deliveries`, `GET /api/dead-letters`).
public struct DeliveryRow: Codable, Sendable {
    public var id: String
    public var caseId: String?
    public var subscriberId: String
    public var noticeType: String?
    public var status: String
    public var attempts: Int
    public var lastError: String?
}

/// The bureau operator's calls on credit and notification.
extension Platform {
    /// Registers a webhook receiver and subscribes it to case outcomes in its jurisdiction (and any
    /// `extraRegions`); returns its credentials (the signing secret among them).
    public func subscribe(_ receiver: AgencyReceiver, regions: [String]? = nil) async throws -> ReceiverCredentials {
        struct NewSubscriber: Encodable {
            var id, type, name, jurisdiction, channel, url: String
        }
        struct Filter: Encodable {
            var regions: [String]
            var kinds: [String]
        }
        struct NewSubscription: Encodable {
            var id: String
            var subscriberId: String
            var filter: Filter
        }
        let credentials = try await API.call(ReceiverCredentials.self, "POST", "\(notification)/api/subscribers", token: adminToken,
                                             json: NewSubscriber(id: receiver.id, type: receiver.type, name: receiver.name,
                                                                 jurisdiction: receiver.jurisdiction, channel: "webhook", url: receiver.url))
        _ = try await API.call([String: String].self, "POST", "\(notification)/api/subscriptions", token: adminToken,
                               json: NewSubscription(id: "sub-\(receiver.id)", subscriberId: receiver.id,
                                                     filter: Filter(regions: regions ?? [receiver.jurisdiction], kinds: ["caseOutcome"])))
        return credentials
    }

    /// An agency's answer to a delivery (acknowledged, or a decision such as case_opened), with its own token.
    public func answer(delivery: String, token: String, kind: String, decision: String? = nil) async throws {
        struct Answer: Encodable { var kind: String; var decision: String? }
        _ = try await API.call("POST", "\(notification)/api/deliveries/\(delivery)/feedback", token: token,
                               body: try JSONEncoder().encode(Answer(kind: kind, decision: decision)))
    }

    public func deliveries(subscriber: String? = nil, caseID: String? = nil) async throws -> [DeliveryRow] {
        let query = [subscriber.map { "subscriber_id=\($0)" }, caseID.map { "case_id=\($0)" }, "limit=1000"].compactMap { $0 }
        return try await API.call([DeliveryRow].self, "GET", "\(notification)/api/deliveries?\(query.joined(separator: "&"))", token: adminToken)
    }

    /// Deliveries that exhausted their retries (notification's dead-letter list, which an operator replays).
    public func deadDeliveries() async throws -> [DeliveryRow] {
        try await API.call([DeliveryRow].self, "GET", "\(notification)/api/dead-letters", token: adminToken)
    }

    /// Events a service's consumers could not apply (`GET /api/events/dead-letters`).
    public func deadEvents(of service: String) async throws -> [DeadEvent] {
        guard let url = services.first(where: { $0.name == service })?.url else { throw API.Failure(description: "no service \(service)") }
        return try await API.call([DeadEvent].self, "GET", "\(url)/api/events/dead-letters", token: adminToken)
    }

    /// A credit subject's changes (`credit.changes` as credit recorded them), from its file.
    public func creditChanges(kind: String, id: String) async throws -> [CreditChange] {
        struct File: Decodable { var changes: [CreditChange] }
        return try await API.call(File.self, "GET", "\(credit)/api/files/\(kind)/\(id)", token: adminToken).changes
    }
}

/// An event a consumer could not apply (`source` "consumer"), or one the outbox relay could not
/// publish because the broker refused it for good (`source` "outbox"), as the service keeps it
/// (payload left out).
public struct DeadEvent: Codable, Sendable {
    public var id: Int
    public var source: String
    public var consumer: String
    public var topic: String
    public var kafkaPartition: Int?
    public var kafkaOffset: Int?
    public var outboxSeq: Int?
    public var eventId: String?
    public var error: String
}

/// A grade, points, list or suspension change (the `credit.changes` payload, the fields shown here).
public struct CreditChange: Codable, Sendable, Equatable {
    public var changeId: String
    public var subjectKind: String
    public var subjectId: String
    public var change: String
    public var before: String?
    public var after: String
    public var caseId: String?
}
