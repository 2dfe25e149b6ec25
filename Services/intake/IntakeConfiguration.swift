import Foundation
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
/// | `INTAKE_ADMIN_TOKEN` | — (required) | bearer token of the bureau's operators (reference data, credentials, reporter access) |
/// | `INTAKE_CLAIM_CACHE` | 100000 | decoded claims kept in memory for the history of the real-time answers (0: none; about 4 KiB each) |
struct IntakeConfiguration: Sendable {
    var referenceDirectory: String
    var maxBodyBytes: Int
    var maxPatients: Int
    var ratePerSecond: Int
    var reportKey: Data
    var adminToken: String
    var claimCache: Int

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
        adminToken = try env.required("INTAKE_ADMIN_TOKEN")
        claimCache = try env.int("INTAKE_CLAIM_CACHE", default: 100_000, range: 0...50_000_000)
    }
}
