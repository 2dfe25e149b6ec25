import ArgumentParser
import Events
import Foundation
import Kafka
import Logging
import Persistence
import PostgresNIO

/// Outbox to Kafka: rows written in transactions, then published by the relay (acknowledged
/// by the broker and marked), in events per second.
struct OutboxBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "outbox")
    @OptionGroup var options: BenchOptions
    @Option(help: "Events to publish.") var count = 100_000

    func run() async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let database = try Database(configuration: DatabaseConfiguration(host: "127.0.0.1", port: options.pgPort, user: "medsup",
                                                                         password: "medsup", database: "medsup"),
                                    schema: "bench_\(UUID().uuidString.prefix(6).lowercased())", logger: logger)
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: KafkaConfiguration(
            bootstrapServers: options.brokers, clientID: "bench")), logger: logger)
        let topic = "bench.outbox.\(UUID().uuidString.prefix(6))"
        try await database.withRunning {
            try await Migrator(database).migrate([])
            let payload = try CloudEvent(id: "x", source: "/bench", type: "cn.hsa.bench", encoding: String(repeating: "a", count: 400))
            let written = try await ContinuousClock().measure {
                for chunk in stride(from: 0, to: count, by: 1_000) {
                    let entries = (chunk..<min(chunk + 1_000, count)).map { n in
                        var event = payload
                        event.id = "\(topic)-\(n)"
                        return Outbox.Entry(event, topic: topic, key: "k\(n % 64)")
                    }
                    try await database.transaction { connection in
                        try await Outbox.enqueue(entries, schema: database.schema, on: connection, logger: database.logger)
                    }
                }
            }
            let relay = OutboxRelay(database: database, producer: producer)
            var published = 0
            let drained = try await ContinuousClock().measure { published = try await relay.drain() }
            await producer.shutdown()
            try await database.client.query("DROP SCHEMA \(unescaped: database.schema) CASCADE")
            print("Outbox, \(count) events of ~400 bytes")
            print("written to the outbox (1,000 per statement):   \(format(rate(count, written))) events/s")
            print("published by the relay (acked and marked):     \(format(rate(published, drained))) events/s")
        }
    }
}
