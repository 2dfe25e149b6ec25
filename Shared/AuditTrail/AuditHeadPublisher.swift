import AuditChain
import Events
import Foundation
import Persistence
import ServiceKit
import ServiceLifecycle

/// Announces the service's chain head every `interval` on `audit.<service>` (through the outbox,
/// so an announcement commits with the head it names): an outside anchor, so entries cut from the
/// chain's end or a rewritten entry no longer match what was once published.
public struct AuditHeadPublisher: Service {
    let store: AuditStore
    let service: String
    let interval: Duration

    public init(store: AuditStore, service: String, interval: Duration) {
        self.store = store
        self.service = service
        self.interval = interval
    }

    public func run() async throws {
        try await repeatUntilShutdown(pause: { [interval] in interval }) { _ = try await publish() }
    }

    /// Enqueues the current head (nothing for an empty chain); one event per sequence number, so an
    /// unchanged head is not announced twice.
    @discardableResult
    public func publish() async throws -> AuditHeadAnnouncement? {
        let database = store.database
        return try await database.transaction { [service] connection in
            let schema = database.schema
            guard let last = try await store.entries(where: "sequence = (SELECT max(sequence) FROM \(schema).audit_log)", on: connection).last
            else { return nil }
            let announcement = AuditHeadAnnouncement(service: service, chain: schema, sequence: last.sequence, hash: last.hash, time: last.time)
            let event = try CloudEvent(id: "audit-head:\(service):\(last.sequence)", source: "/\(service)", type: EventType.auditHead,
                                       encoding: announcement)
            try await Outbox.enqueue(event, topic: Topic.auditHeads(service), key: service, schema: schema, on: connection,
                                     logger: database.logger)
            return announcement
        }
    }
}

extension PlatformRuntime {
    /// The service's head announcer, every `AUDIT_HEAD_SECONDS`.
    public var auditHeadPublisher: AuditHeadPublisher {
        AuditHeadPublisher(store: AuditStore(database: database), service: configuration.service,
                           interval: .seconds(configuration.auditHeadSeconds))
    }
}
