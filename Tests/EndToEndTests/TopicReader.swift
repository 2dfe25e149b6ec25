import Events
import Foundation
import Kafka
import TestSupport

/// Reads a shared topic from its start with a consumer group of its own (other tests' events are on
/// it too), until a message `matching` arrived and `settle` more passed, so a duplicate would be
/// seen; returns the matching messages.
func readTopic(_ topic: String, timeout: Duration = .seconds(45), settle: Duration = .seconds(3),
               matching: @escaping @Sendable (KafkaConsumerMessage) -> Bool) async throws -> [KafkaConsumerMessage] {
    let consumer = try TestEnvironment.consumer(group: TestEnvironment.unique("e2e_read"), topics: [topic])
    let firstMatch = FirstMatch()
    let messages = try await collect(from: consumer, distinct: Int.max, timeout: timeout,
                                     stopWhen: { firstMatch.elapsed.map { $0 > settle } ?? false },
                                     onMessage: { if matching($0) { firstMatch.mark() } })
    await consumer.shutdown()
    return messages.filter(matching)
}

final class FirstMatch: @unchecked Sendable {
    private let lock = NSLock()
    private var at: ContinuousClock.Instant?

    func mark() { lock.withLock { if at == nil { at = .now } } }
    var elapsed: Duration? { lock.withLock { at.map { .now - $0 } } }
}

/// The CloudEvent of a message, decoded as `T`; nil for another payload.
func payload<T: Decodable>(_ message: KafkaConsumerMessage, as type: T.Type) -> T? {
    try? CloudEvent(message: message).decode(type)
}

/// Polls `condition` until it holds or `timeout` passes; false then.
func eventually(timeout: Duration = .seconds(60), _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(250))
    }
    return try await condition()
}
