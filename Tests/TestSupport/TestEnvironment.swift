import Events
import Foundation
import Kafka
import Logging
import OperatorAccess
import Persistence
import ServiceKit

/// The real broker and database the integration tests run against; `scripts/test.sh` starts
/// them and sets these variables (the defaults match it, so `swift test` works after it).
public enum TestEnvironment {
    public static let env = ProcessInfo.processInfo.environment
    public static let brokers = env["MEDSUP_TEST_KAFKA"] ?? "127.0.0.1:19092"
    public static let pgPort = Int(env["MEDSUP_TEST_PGPORT"] ?? "15432")!
    public static let tansu = env["MEDSUP_TANSU"] ?? "\(NSHomeDirectory())/.cache/medsup/bin/tansu"

    public static let logger: Logger = {
        Observability.bootstrap(service: "tests", level: .warning)
        return Logger(label: "tests")
    }()

    /// Creates a topic with several partitions (the broker's auto-created topics have one).
    public static func createTopic(_ name: String, partitions: Int = 4, brokers: String = brokers) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tansu)
        process.arguments = ["topic", "create", name, "--broker", "tcp://\(brokers)", "--partitions", "\(partitions)"]
        try process.run()
        process.waitUntilExit()
    }

    public static func unique(_ prefix: String) -> String { "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())" }

    public static func kafka(_ client: String = "tests", brokers: String = brokers) -> KafkaConfiguration {
        KafkaConfiguration(bootstrapServers: brokers, clientID: client)
    }

    /// `properties`: librdkafka properties for this producer, e.g. a low `message.max.bytes`.
    public static func producer(brokers: String = brokers, properties: [String: String] = [:]) throws -> KafkaProducer {
        var configuration = kafka(brokers: brokers)
        configuration.properties = properties
        return try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: configuration), logger: logger)
    }

    public static func consumer(group: String, topics: [String]) throws -> KafkaConsumer {
        try KafkaConsumer(configuration: KafkaConsumerConfiguration(kafka: kafka(), groupID: group, topics: topics), logger: logger)
    }

    public static var databaseConfiguration: DatabaseConfiguration {
        DatabaseConfiguration(host: "127.0.0.1", port: pgPort, user: "medsup", password: "medsup", database: "medsup")
    }

    /// A database handle on a fresh schema of its own, migrated with the platform tables.
    public static func database(schema: String = unique("t"), migrations: [Migration] = []) throws -> Database {
        try Database(configuration: databaseConfiguration, schema: schema, logger: logger)
    }

    /// `OPERATOR_JWT_SECRET` of every test runtime.
    public static let operatorSecret = "medsup-test-operator-secret-of-the-four-services"
    /// An operator token signed with `operatorSecret` for `test-operator`, holding every operator role,
    /// valid until 2100 (made once outside the code under test; `OperatorTokenTests` checks it verifies).
    public static let operatorToken = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ0ZXN0LW9wZXJhdG9yIiwicm9sZXMiOlsiYXVkaXRvciIsImNyZWRpdF9vZmZpY2VyIiwibm90aWZpY2F0aW9uX2FkbWluaXN0cmF0b3IiLCJwbGF0Zm9ybV9hZG1pbmlzdHJhdG9yIiwicmVmZXJlbmNlX2RhdGFfbWFpbnRhaW5lciIsInJ1bGVfcHVibGlzaGVyIl0sImlhdCI6MTc2NDgwNjQwMCwiZXhwIjo0MTAyNDQ0ODAwLCJraW5kIjoib3BlcmF0b3IifQ.Xj9ma7w5gLT9rCVKLabtFEDP8p7xcxlUbtERGZCX250"

    /// A token of `user` holding `roles`, signed with `operatorSecret` by the services' own code.
    public static func operatorToken(for user: String, _ roles: Set<OperatorRole>) async throws -> String {
        try await OperatorTokens(secret: operatorSecret).mint(OperatorIdentity(user: user, roles: roles)).token
    }

    /// Environment variables for a PlatformRuntime against the test broker and database.
    public static func platformEnvironment(brokers: String = brokers, schema: String = unique("s"),
                                           extra: [String: String] = [:]) -> ServiceKit.Environment {
        ServiceKit.Environment(["KAFKA_BROKERS": brokers, "PGPORT": "\(pgPort)", "LOG_LEVEL": "warning", "DB_SCHEMA": schema,
                                "OPERATOR_JWT_SECRET": operatorSecret]
            .merging(extra) { _, new in new })
    }

    /// The repository's root (for reference/kb and the OpenAPI documents).
    public static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
}

/// Reads messages until `count` distinct event ids arrived or the timeout passed; returns all
/// messages read (duplicates included).
public func collect(from consumer: KafkaConsumer, distinct count: Int, timeout: Duration = .seconds(30),
             stopWhen: @escaping @Sendable () -> Bool = { false },
             onMessage: @escaping @Sendable (KafkaConsumerMessage) async throws -> Void = { _ in }) async throws -> [KafkaConsumerMessage] {
    let box = Collected()
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
            var ids = Set<String>()
            for await message in consumer.messages {
                box.append(message)
                ids.insert(message.header("ce_id") ?? "\(message.partition)/\(message.offset)")
                try await onMessage(message)
                if ids.count >= count || stopWhen() { return }
            }
        }
        group.addTask { try await Task.sleep(for: timeout) }
        group.addTask { while !stopWhen() { try await Task.sleep(for: .milliseconds(50)) } }
        try await group.next()
        group.cancelAll()
    }
    return box.messages
}

public final class Collected: @unchecked Sendable {
    public init() {}
    private let lock = NSLock()
    private var items: [KafkaConsumerMessage] = []
    public func append(_ message: KafkaConsumerMessage) { lock.withLock { items.append(message) } }
    public var messages: [KafkaConsumerMessage] { lock.withLock { items } }
}

public func testEvent(_ n: Int, run: String) throws -> CloudEvent {
    try CloudEvent(id: "\(run)-\(n)", source: "/tests", type: "cn.hsa.test", encoding: ["n": n])
}
