import CRdKafka

public struct KafkaError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public let code: Int32

    public init(_ description: String, code: Int32 = -1) {
        self.description = description
        self.code = code
    }

    init(_ context: String, err: rd_kafka_resp_err_t) {
        self.init("\(context): \(cString(rd_kafka_err2str(err))) (\(cString(rd_kafka_err2name(err))))", code: err.rawValue)
    }

    /// True when sending the same message again can never succeed: the message itself, its topic
    /// or this client's right to write the topic is refused. Everything else (broker away, leader
    /// moving, timeouts, a fatal idempotence error that a restart clears) is transient and retried
    /// in order.
    public var isPermanent: Bool { Self.permanentCodes.contains(code) }

    static let permanentCodes: Set<Int32> = Set([
        RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE,          // larger than message.max.bytes (producer's or broker's)
        RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE,
        RD_KAFKA_RESP_ERR_INVALID_RECORD,              // the broker's validation of the record failed
        RD_KAFKA_RESP_ERR_POLICY_VIOLATION,
        RD_KAFKA_RESP_ERR__INVALID_ARG,                // e.g. an invalid topic name or partition
        RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC,              // topic still absent after metadata propagation (the broker's
                                                       // UNKNOWN_TOPIC_OR_PART while it is created stays transient)
        RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION,             // invalid topic name
        RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED,  // no ACL to write this topic
    ].map(\.rawValue))
}
