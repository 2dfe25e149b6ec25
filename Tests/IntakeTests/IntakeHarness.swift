import Foundation
import OperatorAccess
import HISContract
import Hummingbird
import HummingbirdTesting
import Persistence
import PostgresNIO
import ServiceKit
import TestSupport
@testable import intake

/// intake as the service runs it (same assembly, real PostgreSQL and broker), on a schema of
/// its own, driven through its router.
struct IntakeHarness {
    let runtime: PlatformRuntime
    let assembly: IntakeAssembly
    var schema: String { runtime.database.schema }
    /// The person the tests issue institution credentials as.
    static let operatorPerson = OperatorIdentity(user: "test-operator", roles: [.platformAdministrator])

    init(maxPatients: Int = 5_000, ratePerSecond: Int = 10_000, schema: String = TestEnvironment.unique("s"),
         extra: [String: String] = [:]) throws {
        let env = TestEnvironment.platformEnvironment(schema: schema, extra: [
            "INTAKE_REPORT_KEY": Data(repeating: 7, count: 32).base64EncodedString(),
            "INTAKE_REFERENCE_DIR": TestEnvironment.repositoryRoot.appendingPathComponent("reference/kb").path,
            "INTAKE_MAX_PATIENTS": "\(maxPatients)", "INTAKE_RATE_PER_SECOND": "\(ratePerSecond)", "INTAKE_MAX_BODY_BYTES": "2000000",
        ].merging(extra) { _, new in new })
        let platform = try PlatformConfiguration(service: "intake", defaultHTTPPort: 0, environment: env)
        runtime = try PlatformRuntime(configuration: platform)
        assembly = IntakeAssembly(runtime: runtime, configuration: try IntakeConfiguration(env))
    }

    /// Runs `body` with a client and the secret of `Fixture.institution`.
    func run(_ mode: TestingSetup = .router, _ body: @escaping @Sendable (TestClientProtocol, String) async throws -> Void) async throws {
        try await runtime.database.withRunning {
            try await runtime.prepareDatabase(migrations: IntakeMigrations.all)
            try await assembly.reference.load()
            let secret = try await Credentials(database: runtime.database).issue(for: Fixture.institution, by: IntakeHarness.operatorPerson)
            let app = runtime.makeApplication(router: try assembly.router())
            try await app.test(mode) { client in try await body(client, secret) }
        }
    }

    func count(_ table: String, where condition: String = "true") async throws -> Int {
        let rows = try await runtime.database.client.query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(schema).\(table) WHERE \(condition)"))
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }
}

/// A national call and its answer.
struct NationalAnswer {
    let status: HTTPResponse.Status
    let json: [String: Any]

    var infcode: Int? { json["infcode"] as? Int }
    var errMsg: String { json["err_msg"] as? String ?? "" }
    var results: [[String: Any]] { ((json["output"] as? [String: Any])?["result"] as? [[String: Any]]) ?? [] }
    var patterns: Set<String> { Set(results.compactMap { $0["vola_bhvr_type"] as? String }) }
}

extension TestClientProtocol {
    func national(_ body: Data, institution: String = Fixture.institution, secret: String) async throws -> NationalAnswer {
        try await execute(uri: "/api/his", method: .post, headers: [.authorization: "Bearer \(institution):\(secret)"],
                          body: ByteBuffer(data: body)) { response in
            let json = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? [:]
            return NationalAnswer(status: response.status, json: json)
        }
    }

    func national<I: Codable & Sendable>(_ request: HISRequest<I>, secret: String) async throws -> NationalAnswer {
        try await national(try HISJSON.encoder.encode(request), secret: secret)
    }
}
