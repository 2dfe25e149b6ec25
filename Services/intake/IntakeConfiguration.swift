import Foundation
import OperatorDirectory
import ServiceKit

/// intake's own settings (beside the platform's, see PlatformConfiguration).
///
/// | variable | default | meaning |
/// |---|---|---|
/// | `INTAKE_REFERENCE_DIR` | reference/kb | CSV files loaded when the database has none yet |
/// | `INTAKE_MAX_BODY_BYTES` | 33554432 | largest accepted request body |
/// | `INTAKE_MAX_PATIENTS` | 5000 | largest 3101/3102 batch (patients per call) |
/// | `INTAKE_RATE_PER_SECOND` | 200 | sustained calls per second per institution |
/// | `INTAKE_REPORT_KEY` | — (required) | base64 of the 32-byte AES-GCM key sealing reporters' identities |
/// | `OPERATOR_BOOTSTRAP_USER`, `OPERATOR_BOOTSTRAP_PASSWORD` | — | the first platform administrator: accepted at `POST /api/operators/login` while no platform administrator exists, then stored as one (at least 10 characters) |
/// | `INTAKE_CLAIM_CACHE` | 100000 | decoded claims kept in memory for the history of the real-time answers (0: none; about 4 KiB each) |
/// | `INTAKE_BULK_LINGER_MS` | 10 | how long a bulk round gathers pushes before it commits (0: at once); settlement calls never wait |
/// | `INTAKE_BULK_THREADS` | 2 | threads that read and check the lines of bulk backfills, off the event loops that answer the 3102 calls and at a lower priority (`LowPriorityExecutor`; 0: on the event loops) |
/// | `INTAKE_BULK_LANES` | 2 | bulk rounds committed at once, each on its own PostgreSQL session (an encounter always in the same lane, so its versions follow the file) |
/// | `INTAKE_EVENT_CACHE` | 20000 | `claims.accepted` events kept in memory from their commit until the relay publishes them (0: the relay reads each back; about 3 KiB each) |
struct IntakeConfiguration: Sendable {
    var referenceDirectory: String
    var maxBodyBytes: Int
    var maxPatients: Int
    var ratePerSecond: Int
    var reportKey: Data
    var bootstrap: OperatorAccounts.Bootstrap?
    var claimCache: Int
    var eventCache: Int
    var bulkLinger: Duration
    var bulkThreads: Int
    var bulkLanes: Int

    init(_ env: ServiceKit.Environment) throws {
        referenceDirectory = env.string("INTAKE_REFERENCE_DIR", default: "reference/kb")
        maxBodyBytes = try env.int("INTAKE_MAX_BODY_BYTES", default: 32 << 20, range: 1024...(1 << 30))
        maxPatients = try env.int("INTAKE_MAX_PATIENTS", default: 5_000, range: 1...1_000_000)
        ratePerSecond = try env.int("INTAKE_RATE_PER_SECOND", default: 200, range: 1...1_000_000)
        let key = try env.required("INTAKE_REPORT_KEY")
        guard let data = Data(base64Encoded: key), data.count == 32 else {
            throw ConfigurationError(variable: "INTAKE_REPORT_KEY", problem: "must be the base64 of 32 random bytes")
        }
        reportKey = data
        bootstrap = try Self.bootstrap(env)
        claimCache = try env.int("INTAKE_CLAIM_CACHE", default: 100_000, range: 0...50_000_000)
        eventCache = try env.int("INTAKE_EVENT_CACHE", default: 20_000, range: 0...10_000_000)
        bulkLinger = .milliseconds(try env.int("INTAKE_BULK_LINGER_MS", default: 10, range: 0...1_000))
        bulkThreads = try env.int("INTAKE_BULK_THREADS", default: 2, range: 0...64)
        bulkLanes = try env.int("INTAKE_BULK_LANES", default: 2, range: 1...64)
    }

    private static func bootstrap(_ env: ServiceKit.Environment) throws -> OperatorAccounts.Bootstrap? {
        let user = env.string("OPERATOR_BOOTSTRAP_USER", default: ""), password = env.string("OPERATOR_BOOTSTRAP_PASSWORD", default: "")
        guard !user.isEmpty else { return nil }
        guard password.count >= 10 else {
            throw ConfigurationError(variable: "OPERATOR_BOOTSTRAP_PASSWORD", problem: "must have at least 10 characters when OPERATOR_BOOTSTRAP_USER is set")
        }
        return OperatorAccounts.Bootstrap(user: user, password: password)
    }
}
