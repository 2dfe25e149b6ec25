import ArgumentParser
import Foundation
import Kafka
import Logging

/// Produce and consume throughput of the Swift Kafka layer beside librdkafka's own
/// `rdkafka_performance` (built from the same source), same broker, size, count and settings.
struct KafkaBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "kafka")
    @OptionGroup var options: BenchOptions
    @Option(help: "Messages per run.") var count = 200_000
    @Option(help: "Message size in bytes.") var size = 512

    func run() async throws {
        let logger = Logger(label: "bench")
        let suffix = UUID().uuidString.prefix(6)
        let swiftTopic = "bench.swift.\(suffix)", rawTopic = "bench.raw.\(suffix)"
        let produced = try await produceSwift(topic: swiftTopic, logger: logger)
        let consumed = try await consumeSwift(topic: swiftTopic, logger: logger)
        let rawProduced = try rdkafkaPerformance(options, ["-P", "-t", rawTopic, "-s", "\(size)", "-c", "\(count)", "-X", "enable.idempotence=true",
                                   "-X", "acks=all", "-X", "linger.ms=5"])
        let rawConsumed = try rdkafkaPerformance(options, ["-C", "-t", rawTopic, "-G", "bench-\(suffix)", "-o", "beginning", "-c", "\(count)"])
        print("Kafka layer, \(count) messages of \(size) bytes, librdkafka \(librdkafkaVersion), broker \(options.brokers)")
        print("             swift msg/s    raw msg/s   ratio")
        print("produce  \(format(produced))   \(format(rawProduced))   \(String(format: "%.2f", produced / rawProduced))x")
        print("consume  \(format(consumed))   \(format(rawConsumed))   \(String(format: "%.2f", consumed / rawConsumed))x")
    }

    private func produceSwift(topic: String, logger: Logger) async throws -> Double {
        var configuration = KafkaProducerConfiguration(kafka: KafkaConfiguration(bootstrapServers: options.brokers, clientID: "bench"))
        configuration.lingerMilliseconds = 5
        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        let payload = [UInt8](repeating: 0x61, count: size)
        _ = try await producer.send(KafkaProducerMessage(topic: topic, key: nil, value: payload)) // topic metadata, connection
        let clock = ContinuousClock(), batch = 10_000
        let elapsed = try await clock.measure {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for start in stride(from: 0, to: count - 1, by: batch) {
                    let messages = (start..<min(start + batch, count - 1)).map { _ in KafkaProducerMessage(topic: topic, key: nil, value: payload) }
                    group.addTask { _ = try await producer.send(messages) }
                }
                try await group.waitForAll()
            }
        }
        await producer.shutdown()
        return rate(count - 1, elapsed)
    }

    private func consumeSwift(topic: String, logger: Logger) async throws -> Double {
        let consumer = try KafkaConsumer(configuration: KafkaConsumerConfiguration(
            kafka: KafkaConfiguration(bootstrapServers: options.brokers, clientID: "bench"), groupID: "bench-\(topic)", topics: [topic]),
            logger: logger)
        var iterator = consumer.messages.makeAsyncIterator()
        guard await iterator.next() != nil else { throw KafkaError("no message consumed") }
        // Timed from the first message, as rdkafka_performance does.
        var received = 1
        let elapsed = await ContinuousClock().measure {
            while received < count, let message = await iterator.next() {
                consumer.markProcessed(message)
                received += 1
            }
        }
        await consumer.shutdown()
        return rate(received - 1, elapsed)
    }
}
