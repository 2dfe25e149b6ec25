import Foundation
import Logging
import CoreMetrics
import Metrics
import Persistence
import ServiceLifecycle
import Timing

/// Sends due deliveries, each attempt in a task of its own: a slow or dead receiver only ever
/// holds its own `max_in_flight` leases (and each request has a timeout), so the others go on.
final class Dispatcher: Service, Sendable {
    private let store: DeliveryStore
    private let webhook: WebhookClient
    private let maxInFlight: Int
    private let poll: Duration
    private let lease: Duration
    private let logger: Logger
    private let inFlight = InFlightCounter()

    init(store: DeliveryStore, configuration: NotificationConfiguration, logger: Logger) {
        self.store = store
        self.webhook = WebhookClient(timeout: configuration.httpTimeout, maxConnections: configuration.maxInFlight)
        self.maxInFlight = configuration.maxInFlight
        self.poll = configuration.poll
        self.lease = configuration.httpTimeout + .seconds(30)
        self.logger = logger
    }

    func run() async throws {
        let (claimed, sink) = AsyncStream.makeStream(of: ClaimedDelivery.self)
        await withDiscardingTaskGroup { group in
            group.addTask { [self] in
                try? await repeatUntilShutdown(pause: { [self] in poll }) { [self] in
                    for delivery in await claim() {
                        inFlight.add(1)
                        sink.yield(delivery)
                    }
                }
                sink.finish()
            }
            for await delivery in claimed {
                group.addTask { [self] in
                    await attempt(delivery)
                    inFlight.add(-1)
                }
            }
        }
    }

    /// Due deliveries up to the free capacity; none while the database is unreachable (the loop goes on).
    private func claim() async -> [ClaimedDelivery] {
        do {
            return try await store.claim(limit: maxInFlight - inFlight.count, lease: lease)
        } catch {
            if !Task.isCancelled { logger.warning("cannot claim deliveries", metadata: ["error": "\(error)"]) }
            return []
        }
    }

    /// One attempt; if even recording it fails, the lease runs out and the delivery is tried again.
    /// Each attempt is counted by channel and outcome (`notification_delivery_attempts_total`), a
    /// webhook's time in `notification_webhook_duration_seconds`.
    private func attempt(_ delivery: ClaimedDelivery) async {
        var outcome = "delivered"
        do {
            if delivery.channel == "kafka" {
                try await store.deliverToTopic(delivery)
            } else {
                let started = Date(), clock = ContinuousClock.now
                let answer = await webhook.post(delivery)
                let elapsed = ContinuousClock.now - clock
                CoreMetrics.Timer(label: "notification_webhook_duration_seconds").recordNanoseconds(elapsed.inNanoseconds)
                outcome = answer.delivered ? "delivered" : "failed"
                try await store.record(delivery, started: started, outcome: answer)
            }
        } catch {
            outcome = "not_recorded"
            logger.error("delivery attempt not recorded", metadata: ["delivery": "\(delivery.id)", "error": "\(error)"])
        }
        Counter(label: "notification_delivery_attempts_total", dimensions: [("channel", delivery.channel), ("outcome", outcome)]).increment()
    }
}

/// Deliveries in flight in this process.
private final class InFlightCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    var count: Int { lock.withLock { value } }
    func add(_ delta: Int) { lock.withLock { value += delta } }
}
