import Persistence
import ServiceLifecycle

/// What ends by the calendar in credit: the institutions' agreement suspensions whose period is over, each
/// ended once and its `agreement` → `active` change published in the same transaction. Other periods
/// (insured persons' suspensions, black-list terms) carry their end on the change itself (`effective_until`),
/// which the followers apply by date.
struct CreditExpiry: Sendable {
    let database: Database
    let agreements: AgreementStore
    let changes: ChangeLog
    let clock: CreditClock

    /// Ends what is due today; returns the changes published.
    @discardableResult
    func round() async throws -> Int {
        let logger = database.logger, today = clock.today()
        return try await database.transaction { connection in
            let ended = try await agreements.endDue(on: today, connection: connection, logger: logger)
            try await changes.publish(ended, on: connection, logger: logger)
            return ended.count
        }
    }
}

/// Runs `CreditExpiry.round` every `interval` (`CREDIT_EXPIRY_SECONDS`).
struct CreditExpiryJob: Service {
    let expiry: CreditExpiry
    let interval: Duration

    func run() async throws {
        try await repeatUntilShutdown(pause: { [interval] in interval }) { [expiry] in
            try await expiry.round()
        }
    }
}
