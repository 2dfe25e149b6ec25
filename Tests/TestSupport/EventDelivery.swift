import Events
import Foundation
import Kafka
import Persistence

extension TestEnvironment {
    /// Produces `events` to `topic` (one key, so in order) and runs `processor` until `settled`
    /// holds or 30 s pass: a service's consumer driven as it runs, on a topic of the test's own.
    public static func deliver(_ events: [CloudEvent], to topic: String, key: String = "k", through processor: EventProcessor,
                               until settled: @escaping @Sendable () async throws -> Bool) async throws {
        let producer = try TestEnvironment.producer()
        _ = try await producer.send(events.map { KafkaProducerMessage(topic: topic, key: Array(key.utf8), value: $0.data, headers: $0.kafkaHeaders) })
        await producer.shutdown()
        let task = Task { try await processor.run() }
        for _ in 0..<300 where !(try await settled()) { try await Task.sleep(for: .milliseconds(100)) }
        task.cancel()
        _ = await task.result
    }
}
