import Events
import Foundation
import Kafka
import Logging
import Persistence
import ServiceKit

/// The real broker and database the integration tests run against; `scripts/test.sh` starts
/// them and sets these variables (the defaults match it, so `swift test` works after it).
enum TestEnvironment {
    static let env = ProcessInfo.processInfo.environment
    static let brokers = env["MEDSUP_TEST_KAFKA"] ?? "127.0.0.1:19092"
    static let pgPort = Int(env["MEDSUP_TEST_PGPORT"] ?? "15432")!
    static let tansu = env["MEDSUP_TANSU"] ?? "\(NSHomeDirectory())/.cache/medsup/bin/tansu"

    static let logger: Logger = {
        Observability.bootstrap(service: "tests", level: .warning)
        return Logger(label: "tests")
    }()

    /// Creates a topic with several partitions (the broker's auto-created topics have one).
    static func createTopic(_ name: String, partitions: Int = 4, brokers: String = brokers) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tansu)
        process.arguments = ["topic", "create", name, "--broker", "tcp://\(brokers)", "--partitions", "\(partitions)"]
        try process.run()
        process.waitUntilExit()
    }

    static func unique(_ prefix: String) -> String { "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())" }

    static func kafka(_ client: String = "tests", brokers: String = brokers) -> KafkaConfiguration {
        KafkaConfiguration(bootstrapServers: brokers, clientID: client)
    }

    static func producer(brokers: String = brokers) throws -> KafkaProducer {
        try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: kafka(brokers: brokers)), logger: logger)
    }

    static func consumer(group: String, topics: [String]) throws -> KafkaConsumer {
        try KafkaConsumer(configuration: KafkaConsumerConfiguration(kafka: kafka(), groupID: group, topics: topics), logger: logger)
    }

    static var databaseConfiguration: DatabaseConfiguration {
        DatabaseConfiguration(host: "127.0.0.1", port: pgPort, user: "medsup", password: "medsup", database: "medsup")
    }

    /// A database handle on a fresh schema of its own, migrated with the platform tables.
    static func database(schema: String = unique("t"), migrations: [Migration] = []) throws -> Database {
        try Database(configuration: databaseConfiguration, schema: schema, logger: logger)
    }

    /// Environment variables for a PlatformRuntime against the test broker and database.
    static func platformEnvironment(brokers: String = brokers, httpPort: Int = 0) -> ServiceKit.Environment {
        ServiceKit.Environment(["KAFKA_BROKERS": brokers, "PGPORT": "\(pgPort)", "LOG_LEVEL": "warning"])
    }
}

/// Reads messages until `count` distinct event ids arrived or the timeout passed; returns all
/// messages read (duplicates included).
func collect(from consumer: KafkaConsumer, distinct count: Int, timeout: Duration = .seconds(30),
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

final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [KafkaConsumerMessage] = []
    func append(_ message: KafkaConsumerMessage) { lock.withLock { items.append(message) } }
    var messages: [KafkaConsumerMessage] { lock.withLock { items } }
}

func testEvent(_ n: Int, run: String) throws -> CloudEvent {
    try CloudEvent(id: "\(run)-\(n)", source: "/tests", type: "cn.hsa.test", encoding: ["n": n])
}
