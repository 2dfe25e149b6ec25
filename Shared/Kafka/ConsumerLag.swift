import CRdKafka
import Foundation
import Synchronization

/// How far one partition's consumer is behind: the partition's end (high watermark) minus the
/// next offset this member will treat as done (the last message marked processed + 1, else the
/// group's committed offset, else the partition's start).
public struct PartitionLag: Sendable, Equatable {
    public var topic: String
    public var partition: Int32
    public var lag: Int64

    public init(topic: String, partition: Int32, lag: Int64) {
        self.topic = topic
        self.partition = partition
        self.lag = lag
    }
}

/// The offsets marked processed by this member, per partition: what is durable, not what is buffered.
final class ProcessedOffsets: Sendable {
    private let offsets = Mutex<[String: Int64]>([:])

    static func key(_ topic: String, _ partition: Int32) -> String { "\(topic)\u{0}\(partition)" }

    func record(topic: String, partition: Int32, next: Int64) {
        offsets.withLock { $0[Self.key(topic, partition)] = max($0[Self.key(topic, partition)] ?? 0, next) }
    }

    func next(topic: String, partition: Int32) -> Int64? { offsets.withLock { $0[Self.key(topic, partition)] } }
}

extension KafkaConsumer {
    /// The lag of each partition assigned to this member, asking the brokers for the watermarks
    /// and the committed offsets (on a thread of its own; `timeoutMilliseconds` per request). Empty
    /// when nothing is assigned, or when the brokers do not answer (no figure rather than a wrong one).
    public func lag(timeoutMilliseconds: Int32 = 1_000) async -> [PartitionLag] {
        let client = self.client, processed = self.processed
        return await onOwnThread {
            client.ifAlive { rk in partitionLags(rk, processed: processed, timeout: timeoutMilliseconds) } ?? []
        }
    }
}

private func partitionLags(_ rk: OpaquePointer, processed: ProcessedOffsets, timeout: Int32) -> [PartitionLag] {
    var assignment: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
    guard rd_kafka_assignment(rk, &assignment) == RD_KAFKA_RESP_ERR_NO_ERROR, let assignment else { return [] }
    defer { rd_kafka_topic_partition_list_destroy(assignment) }
    guard assignment.pointee.cnt > 0 else { return [] }
    let committedKnown = rd_kafka_committed(rk, assignment, timeout) == RD_KAFKA_RESP_ERR_NO_ERROR
    var lags: [PartitionLag] = []
    // Once the broker does not answer, the rest use the last fetched figures: a round must not
    // cost a timeout per partition while the broker is away.
    var brokerAnswers = committedKnown
    for index in 0..<Int(assignment.pointee.cnt) {
        let entry = assignment.pointee.elems[index]
        let topic = cString(entry.topic)
        // The end as the last fetch response gave it, and as the broker answers now: the larger is
        // the truer (a paused fetch leaves the first stale; some brokers, Tansu among them, answer
        // the second wrongly, with 1).
        var low: Int64 = 0, high: Int64 = 0, cachedLow: Int64 = -1, cachedHigh: Int64 = -1
        _ = rd_kafka_get_watermark_offsets(rk, entry.topic, entry.partition, &cachedLow, &cachedHigh)
        if !brokerAnswers || rd_kafka_query_watermark_offsets(rk, entry.topic, entry.partition, &low, &high, timeout) != RD_KAFKA_RESP_ERR_NO_ERROR {
            brokerAnswers = false
            guard cachedHigh >= 0 else { continue }
            (low, high) = (max(cachedLow, 0), cachedHigh)
        }
        high = max(high, cachedHigh)
        let committed = committedKnown && entry.offset >= 0 ? entry.offset : nil
        let next = processed.next(topic: topic, partition: entry.partition) ?? committed ?? low
        lags.append(PartitionLag(topic: topic, partition: entry.partition, lag: max(0, high - max(next, low))))
    }
    return lags
}
