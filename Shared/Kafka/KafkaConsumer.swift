import CRdKafka
import Foundation
import Logging
import ServiceLifecycle

/// A consumer-group member. Messages arrive through `messages`, an `AsyncSequence`; a dedicated
/// thread polls librdkafka and hands them over in batches. Call `markProcessed` once a message's
/// effect is durable: only then may its offset be committed. As a ServiceGroup service, it leaves
/// the group cleanly on graceful shutdown, committing what was marked; a service that processes
/// the messages (`EventProcessor`) drives that itself, so that it finishes the message in hand first.
public final class KafkaConsumer: Service, Sendable {
    public let messages: KafkaConsumerMessages
    let client: ClientHandle
    let processed = ProcessedOffsets()
    private let poller: PollThread
    private let buffer: MessageBuffer
    private let logger: Logger

    public init(configuration: KafkaConsumerConfiguration, logger: Logger) throws {
        try requireSupportedLibrdkafka()
        let conf = try makeConf(configuration.properties())
        rd_kafka_conf_set_rebalance_cb(conf, handleRebalance)
        let client = ClientHandle(try makeClient(RD_KAFKA_CONSUMER, conf: conf))
        rd_kafka_poll_set_consumer(client.pointer)
        try Self.subscribe(client.pointer, to: configuration.topics)
        let buffer = MessageBuffer(capacity: configuration.bufferCapacity)
        self.client = client
        self.buffer = buffer
        self.logger = logger
        self.messages = KafkaConsumerMessages(buffer: buffer)
        self.poller = PollThread(name: "kafka-consumer-poll") { pollBatch(client.pointer, into: buffer) }
    }

    /// Records that the message's effect is durable; its offset is committed in the background
    /// and when the consumer leaves the group. A message of a partition no longer assigned to
    /// this member is skipped: the new owner will see it again and deduplicate it.
    public func markProcessed(_ message: KafkaConsumerMessage) {
        guard let list = rd_kafka_topic_partition_list_new(1) else { return }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let entry = rd_kafka_topic_partition_list_add(list, message.topic, message.partition)
        entry?.pointee.offset = message.offset + 1
        let err = rd_kafka_offsets_store(client.pointer, list)
        processed.record(topic: message.topic, partition: message.partition, next: message.offset + 1)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            logger.debug("offset not stored", metadata: ["topic": "\(message.topic)", "error": "\(cString(rd_kafka_err2str(err)))"])
        }
    }

    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    /// Ends `messages` after what is already buffered; the group membership stays until `shutdown`.
    public func stopDelivering() { buffer.close() }

    /// Leaves the group (committing marked offsets) and ends `messages`. The leave is given at most
    /// `closeLimit`: with the broker away, librdkafka's close waits for the commit and the leave
    /// (seen 12 s, scripts/stop-time.sh), and a service must stop within 10 s; what it could not
    /// commit is consumed again after the restart, and the inbox keeps the effect single.
    public func shutdown(closeLimit: Duration = .seconds(3)) async {
        let client = self.client, poller = self.poller, buffer = self.buffer
        await onOwnThread {
            buffer.close()
            poller.stop()
            let rk = client.pointer, queue = rd_kafka_queue_new(rk)
            if let error = rd_kafka_consumer_close_queue(rk, queue) {
                rd_kafka_error_destroy(error)
            } else {
                // The close runs in librdkafka's background; what it posts is served here.
                let deadline = ContinuousClock.now + closeLimit
                while rd_kafka_consumer_closed(rk) == 0, ContinuousClock.now < deadline { serveClosing(rk, queue) }
            }
            let closed = rd_kafka_consumer_closed(rk) != 0
            rd_kafka_queue_destroy(queue)
            client.destroy(flags: closed ? 0 : RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE)
        }
    }

    /// Stops without leaving the group or committing: what a crash looks like to the broker
    /// (the group notices after the session timeout). For tests of redelivery.
    public func abandon() async {
        let client = self.client, poller = self.poller, buffer = self.buffer
        await onOwnThread {
            buffer.close()
            poller.stop()
            client.destroy(flags: RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE)
        }
    }

    private static func subscribe(_ rk: OpaquePointer, to topics: [String]) throws {
        let list = rd_kafka_topic_partition_list_new(Int32(topics.count))
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for topic in topics { rd_kafka_topic_partition_list_add(list, topic, RD_KAFKA_PARTITION_UA) }
        let err = rd_kafka_subscribe(rk, list)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError("subscribe to \(topics)", err: err) }
    }
}

public struct KafkaConsumerMessages: AsyncSequence, Sendable {
    public typealias Element = KafkaConsumerMessage
    let buffer: MessageBuffer

    public func makeAsyncIterator() -> Iterator { Iterator(buffer: buffer) }

    /// The same messages in the order they arrived, as the runs already buffered (at most `max`
    /// each, never waiting to fill one): a consumer that commits per run pays once per run.
    public func batches(max: Int) -> KafkaConsumerBatches { KafkaConsumerBatches(buffer: buffer, max: max) }

    public struct Iterator: AsyncIteratorProtocol {
        let buffer: MessageBuffer
        var pending: [KafkaConsumerMessage] = []
        var index = 0

        public mutating func next() async -> KafkaConsumerMessage? {
            if index == pending.count {
                pending = await buffer.take()
                index = 0
                if pending.isEmpty { return nil }
            }
            defer { index += 1 }
            return pending[index]
        }
    }
}

public struct KafkaConsumerBatches: AsyncSequence, Sendable {
    public typealias Element = [KafkaConsumerMessage]
    let buffer: MessageBuffer
    let max: Int

    public func makeAsyncIterator() -> Iterator { Iterator(buffer: buffer, max: Swift.max(1, max)) }

    public struct Iterator: AsyncIteratorProtocol {
        let buffer: MessageBuffer
        let max: Int
        var pending: ArraySlice<KafkaConsumerMessage> = []

        public mutating func next() async -> [KafkaConsumerMessage]? {
            if pending.isEmpty {
                pending = ArraySlice(await buffer.take())
                if pending.isEmpty { return nil }
            }
            let run = Array(pending.prefix(max))
            pending = pending.dropFirst(run.count)
            return run
        }
    }
}

/// One poll round: wait up to 100 ms for the first message, then drain what is ready.
private func pollBatch(_ rk: OpaquePointer, into buffer: MessageBuffer) {
    var batch: [KafkaConsumerMessage] = []
    var timeout: Int32 = 100
    while batch.count < 1_000, let raw = rd_kafka_consumer_poll(rk, timeout) {
        timeout = 0
        defer { rd_kafka_message_destroy(raw) }
        if raw.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR { batch.append(copyMessage(raw)) }
    }
    if !batch.isEmpty { _ = buffer.append(batch) }
}

private func copyMessage(_ raw: UnsafeMutablePointer<rd_kafka_message_t>) -> KafkaConsumerMessage {
    let m = raw.pointee
    let value = m.payload.map { Array(UnsafeRawBufferPointer(start: $0, count: m.len)) } ?? []
    let key = m.key.map { Array(UnsafeRawBufferPointer(start: $0, count: m.key_len)) }
    return KafkaConsumerMessage(topic: cString(rd_kafka_topic_name(m.rkt)), partition: m.partition,
                                offset: m.offset, key: key, value: value, headers: copyHeaders(raw))
}

private func copyHeaders(_ raw: UnsafeMutablePointer<rd_kafka_message_t>) -> [KafkaHeader] {
    var headers: OpaquePointer?
    guard rd_kafka_message_headers(raw, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR, let headers else { return [] }
    var result: [KafkaHeader] = []
    var name: UnsafePointer<CChar>?
    var value: UnsafeRawPointer?
    var size = 0
    var index = 0
    while rd_kafka_header_get_all(headers, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
        let bytes = value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) } ?? []
        result.append(KafkaHeader(key: cString(name!), value: bytes))
        index += 1
    }
    return result
}

/// One wait on a closing consumer's queue, to which the close forwards the group's queue: a
/// rebalance (the leave's revocation) is handled as the callback handles it, committing the marked
/// offsets; messages fetched and never handed over are dropped (not marked, so the partition's next
/// owner reads them). Served as events, not callbacks: librdkafka asserts that a queue served by
/// callbacks handles every op, and a fetched message has no callback — a consumer leaving with
/// messages still fetched aborted the process (`KafkaLayerTests`).
private func serveClosing(_ rk: OpaquePointer, _ queue: OpaquePointer?) {
    guard let event = rd_kafka_queue_poll(queue, 100) else { return }
    defer { rd_kafka_event_destroy(event) }
    if rd_kafka_event_type(event) == RD_KAFKA_EVENT_REBALANCE {
        handleRebalance(rk, rd_kafka_event_error(event), rd_kafka_event_topic_partition_list(event), nil)
    }
}

/// Accepts the assignment librdkafka proposes; on revocation the marked offsets are committed
/// first, so the next owner of a partition starts right after the last durable effect.
private func handleRebalance(_ rk: OpaquePointer?, _ err: rd_kafka_resp_err_t,
                             _ partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?,
                             _ opaque: UnsafeMutableRawPointer?) {
    guard let rk else { return }
    let cooperative = cString(rd_kafka_rebalance_protocol(rk)) == "COOPERATIVE"
    if err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS {
        if cooperative { _ = rd_kafka_incremental_assign(rk, partitions) } else { _ = rd_kafka_assign(rk, partitions) }
    } else {
        _ = rd_kafka_commit(rk, nil, 0)
        if cooperative { _ = rd_kafka_incremental_unassign(rk, partitions) } else { _ = rd_kafka_assign(rk, nil) }
    }
}
