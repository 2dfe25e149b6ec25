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
@testable import credit

/// A day the tests move by hand, so waiting periods and the year boundary pass at once.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var day: CivilDate

    init(_ day: CivilDate) { self.day = day }

    var today: CivilDate {
        get { lock.withLock { day } }
        set { lock.withLock { day = newValue } }
    }
}

/// credit as the service runs it (same assembly, real PostgreSQL and broker), on a schema and an
/// outcomes topic of its own, driven through its router.
struct CreditHarness {
    static let token = TestEnvironment.operatorToken
    let runtime: PlatformRuntime
    let assembly: CreditAssembly
    let clock: TestClock
    let topic = TestEnvironment.unique("review.outcomes")
    var schema: String { runtime.database.schema }
    var database: Database { runtime.database }

    init(today: String = "2025-01-10") throws {
        let env = TestEnvironment.platformEnvironment(extra: [
            "CREDIT_OUTCOMES_TOPIC": topic,
            "CREDIT_REFERENCE_DIR": TestEnvironment.repositoryRoot.appendingPathComponent("reference/kb").path,
        ])
        runtime = try PlatformRuntime(configuration: try PlatformConfiguration(service: "credit", defaultHTTPPort: 0, environment: env))
        let clock = TestClock(CivilDate(today)!)
        self.clock = clock
        assembly = CreditAssembly(runtime: runtime, configuration: try CreditConfiguration(env), clock: CreditClock { clock.today })
    }

    func run(_ body: @escaping @Sendable (TestClientProtocol) async throws -> Void) async throws {
        try await database.withRunning {
            try await runtime.prepareDatabase(migrations: CreditMigrations.all)
            try await assembly.reference.load()
            try await runtime.makeApplication(router: assembly.router()).test(.router) { client in try await body(client) }
        }
    }

    /// Applies an event as the processor does: the inbox and the effect in one transaction.
    func deliver(_ event: CloudEvent) async throws {
        try await database.transaction { connection in
            guard try await Inbox.firstDelivery(of: event.id, consumer: "review-outcomes", schema: schema, on: connection,
                                                logger: database.logger) else { return }
            try await assembly.outcomes.apply(event, on: connection, logger: database.logger)
        }
    }

    /// Produces the events to this harness's topic (one key, so in order) and runs the service's
    /// processor until `settled` holds (or 30 s pass).
    func consume(_ events: [CloudEvent], until settled: @escaping @Sendable () async throws -> Bool) async throws {
        let producer = try TestEnvironment.producer()
        _ = try await producer.send(events.map { KafkaProducerMessage(topic: topic, key: Array("k".utf8), value: $0.data, headers: $0.kafkaHeaders) })
        await producer.shutdown()
        let processor = try assembly.outcomeProcessor()
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

    /// Every stored change is also an outbox row on credit.changes.
    func changesMatchOutbox() async throws -> (changes: Int, outbox: Int) {
        (try await count("changes"), try await count("outbox", where: "topic = 'credit.changes'"))
    }
}

/// Decided cases as smart-review publishes them.
enum Cases {
    static let institution = "H43010000001"
    static let practitioner = "D430100000001"

    static func decided(_ caseId: String, on day: String, institution: String = institution, parties: [CaseDecided.Party] = [],
                        points: [String: Int] = [:], article: Int = 38, fine: Decimal = 10_000, amount: Decimal = 10_000,
                        fraud: Bool = false, handling: [String] = ["recover", "fine"], suspensionMonths: Int? = nil,
                        source: String? = nil) throws -> CloudEvent {
        let time = EventJSON.parseTimestamp("\(day)T10:00:00+08:00")!
        let payload = CaseDecided(caseId: caseId, institutionId: institution, institutionName: nil, careRegion: "430100", insuredRegions: ["430100"],
                                  claimIds: ["\(institution)/m-\(caseId)/s-1"], findingIds: ["f-\(caseId)"], parties: parties, patterns: ["P05"],
                                  severity: .violation, amount: amount, fine: fine, article: article, handling: handling, suspensionMonths: suspensionMonths,
                                  practitionerPoints: points, fraud: fraud, legalBasis: "《医疗保障基金使用监督管理条例》第\(article)条",
                                  referToPolice: false, publicOfficialsInvolved: false, decidedAt: time, legalReviewer: "legal-1",
                                  traceabilityCodes: [], source: source)
        return try CloudEvent(id: payload.eventID, source: "/smart-review", type: EventType.outcome, encoding: payload)
    }

    static func doctor(_ id: String = practitioner) -> CaseDecided.Party {
        CaseDecided.Party(id: id, kind: "practitioner", role: "attending_doctor")
    }
}

extension TestClientProtocol {
    /// Calls the API as the operator; returns status and the JSON answer (or text as "text").
    @discardableResult
    func call(_ uri: String, _ method: HTTPRequest.Method = .get, _ body: [String: Any]? = nil,
              token: String? = CreditHarness.token) async throws -> (status: HTTPResponse.Status, json: Any?, text: String) {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        let buffer = try body.map { ByteBuffer(data: try JSONSerialization.data(withJSONObject: $0)) }
        return try await execute(uri: uri, method: method, headers: headers, body: buffer) { response in
            let text = String(buffer: response.body)
            return (response.status, try? JSONSerialization.jsonObject(with: Data(text.utf8)), text)
        }
    }
}

extension TestClientProtocol {
    /// The same call, handing the answer to `check`.
    func call(_ uri: String, _ method: HTTPRequest.Method = .get, _ body: [String: Any]? = nil, token: String? = CreditHarness.token,
              check: (_ answer: (status: HTTPResponse.Status, json: Any?, text: String)) throws -> Void) async throws {
        try check(try await call(uri, method, body, token: token))
    }
}

/// The value at a path of keys in a decoded JSON answer, nil when absent.
func field(_ json: Any?, _ path: String...) -> Any? {
    path.reduce(json) { ($0 as? [String: Any])?[$1] }
}
