import Events
import ServiceKit

/// credit's own settings (beside the platform's, see PlatformConfiguration).
///
/// | variable | default | meaning |
/// |---|---|---|
/// | `CREDIT_REFERENCE_DIR` | reference/kb | CSV files loaded when the database has none yet |
/// | `CREDIT_OUTCOMES_TOPIC` | review.outcomes | topic of decided cases (tests use a topic of their own) |
/// | `CREDIT_EXPIRY_SECONDS` | 3600 | how often periods that end by the calendar (an institution's agreement suspension) are ended and published |
struct CreditConfiguration: Sendable {
    var referenceDirectory: String
    var outcomesTopic: String
    var expiryInterval: Duration

    init(_ env: ServiceKit.Environment) throws {
        referenceDirectory = env.string("CREDIT_REFERENCE_DIR", default: "reference/kb")
        outcomesTopic = env.string("CREDIT_OUTCOMES_TOPIC", default: Topic.reviewOutcomes)
        expiryInterval = .seconds(try env.int("CREDIT_EXPIRY_SECONDS", default: 3_600, range: 1...86_400))
    }
}
