import Foundation
import NotificationRules
import ServiceKit

/// notification's own settings (beside the platform's, see PlatformConfiguration).
///
/// | variable | default | meaning |
/// |---|---|---|
/// | `NOTIFY_RETRY_BASE_MS` | 30000 | ceiling of the delay after the first failed attempt (doubles each time, full jitter) |
/// | `NOTIFY_RETRY_MAX_MS` | 3600000 | largest delay ceiling |
/// | `NOTIFY_RETRY_MAX_ATTEMPTS` | 12 | attempts in all before the dead-letter list |
/// | `NOTIFY_RETRY_MAX_AGE_S` | 259200 | no attempt later than this after the first |
/// | `NOTIFY_HTTP_TIMEOUT_MS` | 10000 | per-request timeout of a webhook call |
/// | `NOTIFY_MAX_IN_FLIGHT` | 64 | deliveries in flight in this process, all subscribers together |
/// | `NOTIFY_POLL_MS` | 200 | pause of the dispatcher when nothing is due |
/// | `NOTIFY_ACK_WINDOW_S` | 259200 | time a receiver has to acknowledge a delivery that expects feedback |
/// | `NOTIFY_ESCALATION_INTERVAL_S` | 60 | how often overdue acknowledgements are looked for |
/// | `NOTIFY_PUBLIC_BASE_URL` | — | absolute URL of this service, for the links of the Atom feed |
/// | `NOTIFY_SECRET_KEY` | — (required) | base64 of the 32-byte AES-GCM key sealing webhook secrets at rest (the scripts' demo default is in scripts/lib.sh) |
/// | `NOTIFY_SECRET_KEY_PREVIOUS` | — | earlier keys, base64, comma-separated: they still open what they sealed, and it is sealed again with the current key |
struct NotificationConfiguration: Sendable {
    var retry: RetryPolicy
    var httpTimeout: Duration
    var maxInFlight: Int
    var poll: Duration
    var ackWindowSeconds: Int
    var escalationInterval: Duration
    var publicBaseURL: String?
    var sealer: SecretSealer

    init(_ env: ServiceKit.Environment) throws {
        retry = RetryPolicy(
            baseDelay: Double(try env.int("NOTIFY_RETRY_BASE_MS", default: 30_000, range: 1...86_400_000)) / 1000,
            maxDelay: Double(try env.int("NOTIFY_RETRY_MAX_MS", default: 3_600_000, range: 1...604_800_000)) / 1000,
            maxAttempts: try env.int("NOTIFY_RETRY_MAX_ATTEMPTS", default: 12, range: 1...1000),
            maxAge: Double(try env.int("NOTIFY_RETRY_MAX_AGE_S", default: 259_200, range: 1...31_536_000)))
        httpTimeout = .milliseconds(try env.int("NOTIFY_HTTP_TIMEOUT_MS", default: 10_000, range: 10...600_000))
        maxInFlight = try env.int("NOTIFY_MAX_IN_FLIGHT", default: 64, range: 1...10_000)
        poll = .milliseconds(try env.int("NOTIFY_POLL_MS", default: 200, range: 1...60_000))
        ackWindowSeconds = try env.int("NOTIFY_ACK_WINDOW_S", default: 259_200, range: 1...31_536_000)
        escalationInterval = .seconds(try env.int("NOTIFY_ESCALATION_INTERVAL_S", default: 60, range: 1...86_400))
        let base = env.string("NOTIFY_PUBLIC_BASE_URL", default: "")
        publicBaseURL = base.isEmpty ? nil : base
        sealer = try Self.sealer(env)
    }

    private static func sealer(_ env: ServiceKit.Environment) throws -> SecretSealer {
        func key(_ text: Substring, _ variable: String) throws -> Data {
            guard let data = Data(base64Encoded: String(text)), data.count == 32 else {
                throw ConfigurationError(variable: variable, problem: "must be the base64 of 32 random bytes")
            }
            return data
        }
        let current = try key(Substring(try env.required("NOTIFY_SECRET_KEY")), "NOTIFY_SECRET_KEY")
        let previous = try env.string("NOTIFY_SECRET_KEY_PREVIOUS", default: "").split(separator: ",").map { try key($0, "NOTIFY_SECRET_KEY_PREVIOUS") }
        return try SecretSealer(current: current, previous: previous)
    }
}
