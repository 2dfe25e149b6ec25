import Events
import Foundation
import HISContract
import Hummingbird
import HummingbirdTesting
import Kafka
import Persistence
import PostgresNIO
import ServiceKit
import TestSupport
@testable import smart_review

/// The HS256 secret of the workbench tokens in tests.
let workbenchSecret = "test-workbench-secret-of-32-bytes-or-more"

/// smart-review as the service runs it, on a schema of its own, consuming a topic of its own.
struct ReviewHarness {
    let runtime: PlatformRuntime
    let assembly: SmartReviewAssembly
    let topic = TestEnvironment.unique("claims.accepted")
    var schema: String { runtime.database.schema }
    var database: Database { runtime.database }

    /// `extra`: further settings (the tests' console is plain http, so its cookie is not `Secure` unless asked).
    init(extra: [String: String] = [:]) throws {
        let env = TestEnvironment.platformEnvironment(extra: [
            "REVIEW_RECONCILE_SECONDS": "3600", "REVIEW_JWT_SECRET": workbenchSecret, "REVIEW_CONSOLE_SECURE_COOKIE": "false",
            "REVIEW_REFERENCE_DIR": TestEnvironment.repositoryRoot.appendingPathComponent("reference/kb").path,
            // Each harness its own consumer groups, as each deployment has (two harnesses may read one topic).
            "KAFKA_GROUP_PREFIX": TestEnvironment.unique("harness") + ".",
        ].merging(extra) { _, new in new })
        runtime = try PlatformRuntime(configuration: try PlatformConfiguration(service: "smart-review", defaultHTTPPort: 0, environment: env))
        assembly = try SmartReviewAssembly(runtime: runtime)
    }

    /// Runs `body` with the database migrated, the reference data and rule base loaded, and a
    /// client on the router.
    func run(_ body: @escaping @Sendable (TestClientProtocol) async throws -> Void) async throws {
        try await database.withRunning {
            try await runtime.prepareDatabase(migrations: ReviewMigrations.all)
            try await assembly.reference.load()
            try await assembly.ruleBase.load()
            try await runtime.makeApplication(router: assembly.router()).test(.router) { client in try await body(client) }
        }
    }

    /// Produces the events to this harness's topic and lets the claims processor consume until
    /// `settled` holds (or 30 s pass).
    func consume(_ events: [CloudEvent], until settled: @escaping @Sendable () async throws -> Bool) async throws {
        let producer = try TestEnvironment.producer()
        _ = try await producer.send(events.map { KafkaProducerMessage(topic: topic, key: Array("k".utf8), value: $0.data, headers: $0.kafkaHeaders) })
        await producer.shutdown()
        let processor = try assembly.claimsProcessor(topics: [topic])
        let task = Task { try await processor.run() }
        defer { task.cancel() }
        for _ in 0..<300 where !(try await settled()) { try await Task.sleep(for: .milliseconds(100)) }
        task.cancel()
        _ = await task.result
    }

    func count(_ table: String, where condition: String = "true") async throws -> Int {
        let rows = try await database.client.query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(schema).\(table) WHERE \(condition)"))
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }
}

/// A `claims.accepted` event for one encounter, as intake publishes it.
func accepted(_ encounter: Encounter, patient: Patient = Fixture.patient()) throws -> CloudEvent {
    var single = patient
    single.fsiEncounterDtos = [encounter]
    let claimID = ClaimAccepted.claimId(institution: encounter.medinsId, encounter: encounter.mdtrtId, settlement: encounter.setlId ?? "")
    let payload = ClaimAccepted(claimId: claimID, version: 1, supersedes: nil, msgid: Fixture.msgid(1), trigScen: 6, acceptedAt: Date(), patient: single)
    return try CloudEvent(id: payload.eventID, source: "/intake", type: EventType.claimAccepted, encoding: payload)
}
