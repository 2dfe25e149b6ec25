import Logging
import Persistence
import ServiceLifecycle

/// Seals again, at start and then hourly, the webhook secrets stored in clear or under a previous
/// `NOTIFY_SECRET_KEY`: after a key rotation (the old key moved to `NOTIFY_SECRET_KEY_PREVIOUS`) the
/// old key can be retired once this has run.
struct SecretResealing: Service {
    let store: SubscriberStore

    func run() async throws {
        try await repeatUntilShutdown(pause: { .seconds(3600) }) {
            let resealed = try await store.reseal()
            if resealed > 0 { store.database.logger.notice("webhook secrets sealed with the current key", metadata: ["count": "\(resealed)"]) }
        }
    }
}
