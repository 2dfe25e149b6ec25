import CRdKafka
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// An idempotent producer (`enable.idempotence`, `acks=all`). `send` returns once the broker has
/// acknowledged every message of the batch. A dedicated thread blocks in `rd_kafka_poll`, so a
/// delivery report reaches its waiter as soon as librdkafka has it, without sleeping and without
/// occupying Swift's cooperative threads.
public final class KafkaProducer: Service, Sendable {
    private let client: ClientHandle
    private let poller: PollThread
    private let configuration: KafkaProducerConfiguration
    private let logger: Logger

    public init(configuration: KafkaProducerConfiguration, logger: Logger) throws {
        try requireSupportedLibrdkafka()
        let conf = try makeConf(configuration.properties())
        rd_kafka_conf_set_dr_msg_cb(conf) { _, message, _ in
            guard let message, let ticket = message.pointee._private else { return }
            Unmanaged<DeliveryTicket>.fromOpaque(ticket).takeRetainedValue().complete(message.pointee)
        }
        let client = ClientHandle(try makeClient(RD_KAFKA_PRODUCER, conf: conf))
        self.client = client
        self.configuration = configuration
        self.logger = logger
        self.poller = PollThread(name: "kafka-producer-poll") { _ = rd_kafka_poll(client.pointer, 100) }
    }

    /// Sends one message and waits for its delivery report.
    @discardableResult
    public func send(_ message: KafkaProducerMessage) async throws -> KafkaDeliveryReport {
        try await send([message])[0]
    }

    /// Sends messages in order and waits until all are acknowledged; throws the first failure.
    public func send(_ messages: [KafkaProducerMessage]) async throws -> [KafkaDeliveryReport] {
        try await deliver(messages).map { try $0.get() }
    }

    /// Sends messages in order and gives each one's outcome, so that a caller can tell a message
    /// the broker refuses for good (too large, unknown topic) from the others. Cancelling the
    /// caller stops the wait (the outstanding messages stay in librdkafka's queue until shutdown):
    /// a service stopping while the broker is away does not wait for the message timeout.
    public func deliver(_ messages: [KafkaProducerMessage]) async throws -> [Result<KafkaDeliveryReport, KafkaError>] {
        guard !messages.isEmpty else { return [] }
        let batch = DeliveryBatch(count: messages.count)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                batch.start(continuation)
                Task { await self.enqueue(messages, batch: batch) }
            }
        } onCancel: {
            batch.cancel()
        }
    }

    /// librdkafka's `message.max.bytes` as configured for this producer: a message larger than
    /// this is refused before it is sent (`MSG_SIZE_TOO_LARGE`).
    public var maxMessageBytes: Int { configuration.maxMessageBytes }

    /// True when a broker answers a metadata request within the timeout.
    public func brokersReachable(timeoutMilliseconds: Int32 = 2_000) async -> Bool {
        let client = self.client
        // A readiness probe during a stop must not reach a client already destroyed.
        return await onOwnThread { client.ifAlive { Kafka.brokersReachable($0, timeoutMilliseconds: timeoutMilliseconds) } ?? false }
    }

    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    /// Flushes outstanding messages (up to the configured timeout), then releases the client.
    public func shutdown() async {
        let client = self.client, poller = self.poller, timeout = Int32(configuration.flushTimeoutMilliseconds)
        let remaining = await onOwnThread { () -> Int32 in
            _ = rd_kafka_flush(client.pointer, timeout)
            let remaining = rd_kafka_outq_len(client.pointer)
            poller.stop()
            client.destroy()
            return remaining
        }
        if remaining > 0 { logger.error("Kafka producer closed with undelivered messages", metadata: ["count": "\(remaining)"]) }
    }

    private func enqueue(_ messages: [KafkaProducerMessage], batch: DeliveryBatch) async {
        for (index, message) in messages.enumerated() {
            let ticket = Unmanaged.passRetained(DeliveryTicket(batch: batch, index: index))
            while true {
                // After the shutdown the client is gone: the message fails (its waiter, if any is
                // left, learns it) instead of being produced to freed memory or retried for ever.
                let err = client.ifAlive { _ in produce(message, opaque: ticket.toOpaque()) } ?? RD_KAFKA_RESP_ERR__DESTROY
                if batch.isCancelled, err == RD_KAFKA_RESP_ERR__QUEUE_FULL {
                    ticket.release()
                    return // nobody waits for these any more
                }
                if err == RD_KAFKA_RESP_ERR_NO_ERROR { break }
                if err == RD_KAFKA_RESP_ERR__QUEUE_FULL {
                    try? await Task.sleep(for: .milliseconds(1)) // the poll thread is draining reports
                    continue
                }
                ticket.release()
                batch.fail(index, KafkaError("produce to \(message.topic)", err: err))
                break
            }
        }
    }

    private func produce(_ message: KafkaProducerMessage, opaque: UnsafeMutableRawPointer) -> rd_kafka_resp_err_t {
        let headers = makeHeaders(message.headers)
        // RD_KAFKA_MSG_F_COPY: librdkafka copies the value before returning and never writes to it,
        // so the array's own storage is lent without a Swift-side copy.
        let err = message.value.withUnsafeBytes { value in
            withOptionalBytes(message.key) { key, keyCount in
                medsup_produce(client.pointer, message.topic, key, keyCount,
                               UnsafeMutableRawPointer(mutating: value.baseAddress), value.count, headers, opaque)
            }
        }
        // On success librdkafka owns the headers; on failure they are still ours.
        if err != RD_KAFKA_RESP_ERR_NO_ERROR, let headers { rd_kafka_headers_destroy(headers) }
        return err
    }

    /// nil for a message without headers: no list to allocate and free per message.
    private func makeHeaders(_ list: [KafkaHeader]) -> OpaquePointer? {
        guard !list.isEmpty else { return nil }
        let headers = rd_kafka_headers_new(list.count)
        for header in list {
            header.value.withUnsafeBytes { _ = rd_kafka_header_add(headers, header.key, -1, $0.baseAddress, $0.count) }
        }
        return headers
    }
}

private func withOptionalBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawPointer?, Int) -> R) -> R {
    guard let bytes else { return body(nil, 0) }
    return bytes.withUnsafeBytes { body($0.baseAddress, $0.count) }
}

/// An `rd_kafka_t` shared between the Swift side and the poll thread; librdkafka is thread-safe.
final class ClientHandle: @unchecked Sendable {
    let pointer: OpaquePointer
    private let destroyed = Atomic<Bool>(false)
    /// Held by occasional users (lag queries) and by `destroy`, so none runs on a destroyed client.
    private let use = NSLock()

    init(_ pointer: OpaquePointer) { self.pointer = pointer }

    func destroy(flags: Int32 = 0) {
        use.withLock {
            if !destroyed.exchange(true, ordering: .acquiringAndReleasing) { rd_kafka_destroy_flags(pointer, flags) }
        }
    }

    /// Runs `body` with the client unless it was destroyed (then nil).
    func ifAlive<T>(_ body: (OpaquePointer) -> T) -> T? {
        use.withLock { destroyed.load(ordering: .acquiring) ? nil : body(pointer) }
    }
}

/// Collects the delivery reports of one `deliver` and resumes its waiter when all are in.
final class DeliveryBatch: @unchecked Sendable {
    typealias Outcomes = [Result<KafkaDeliveryReport, KafkaError>]
    private let lock = NSLock()
    private var outcomes: [Result<KafkaDeliveryReport, KafkaError>?]
    private var remaining: Int
    private var cancelled = false
    private var continuation: CheckedContinuation<Outcomes, Error>?

    init(count: Int) {
        outcomes = Array(repeating: nil, count: count)
        remaining = count
    }

    func start(_ continuation: CheckedContinuation<Outcomes, Error>) {
        let resumeNow = lock.withLock { () -> Bool in
            if cancelled { return true }
            self.continuation = continuation
            return false
        }
        if resumeNow { continuation.resume(throwing: CancellationError()) }
    }

    func succeed(_ index: Int, _ report: KafkaDeliveryReport) { finish(index, .success(report)) }

    func fail(_ index: Int, _ error: KafkaError) { finish(index, .failure(error)) }

    var isCancelled: Bool { lock.withLock { cancelled } }

    /// The waiter gives up: it is resumed with `CancellationError`; later reports are dropped.
    func cancel() {
        let waiting = lock.withLock { () -> CheckedContinuation<Outcomes, Error>? in
            cancelled = true
            defer { continuation = nil }
            return continuation
        }
        waiting?.resume(throwing: CancellationError())
    }

    private func finish(_ index: Int, _ outcome: Result<KafkaDeliveryReport, KafkaError>) {
        let done: (CheckedContinuation<Outcomes, Error>, Outcomes)? = lock.withLock {
            outcomes[index] = outcome
            remaining -= 1
            guard remaining == 0, let continuation else { return nil }
            self.continuation = nil
            return (continuation, outcomes.map { $0! })
        }
        guard let (continuation, outcomes) = done else { return }
        continuation.resume(returning: outcomes)
    }
}

final class DeliveryTicket {
    let batch: DeliveryBatch
    let index: Int

    init(batch: DeliveryBatch, index: Int) {
        self.batch = batch
        self.index = index
    }

    func complete(_ message: rd_kafka_message_t) {
        let topic = cString(rd_kafka_topic_name(message.rkt))
        if message.err == RD_KAFKA_RESP_ERR_NO_ERROR {
            batch.succeed(index, KafkaDeliveryReport(topic: topic, partition: message.partition, offset: message.offset))
        } else {
            batch.fail(index, KafkaError("delivery to \(topic) failed", err: message.err))
        }
    }
}
