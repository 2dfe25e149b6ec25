/// Typed configuration of the Kafka clients. Anything librdkafka accepts and is not modelled here
/// (TLS, SASL, tuning) passes through `properties` unchanged, so a managed cluster needs no code change.
public struct KafkaConfiguration: Sendable {
    /// `bootstrap.servers`, e.g. "127.0.0.1:9092".
    public var bootstrapServers: String
    /// `client.id`, shown in broker logs.
    public var clientID: String
    /// Extra librdkafka properties (e.g. `security.protocol`, `sasl.mechanism`).
    public var properties: [String: String]

    public init(bootstrapServers: String, clientID: String, properties: [String: String] = [:]) {
        self.bootstrapServers = bootstrapServers
        self.clientID = clientID
        self.properties = properties
    }

    func baseProperties() -> [String: String] {
        ["bootstrap.servers": bootstrapServers, "client.id": clientID, "log.connection.close": "false"]
            .merging(properties) { _, override in override }
    }
}

public struct KafkaProducerConfiguration: Sendable {
    public var kafka: KafkaConfiguration
    /// `linger.ms`: how long a message waits for others to fill its batch (`KAFKA_PROP_LINGER_MS`
    /// overrides it). Every event leaves through an outbox relay, after the transaction that wrote
    /// it has answered its caller, so nobody waits for the broker; what the wait buys is fewer,
    /// larger produce requests and fetches. At 2,000 settlements/s, 50 ms against librdkafka's 5
    /// (scripts/profile.sh, three interleaved pairs): the test broker 54-60 µs a claim against 67-73,
    /// intake 285-310 against 301-318, and the review's and the 3102 answers' medians lower in all three.
    public var lingerMilliseconds: Int = 50
    /// How long `shutdown` waits for outstanding deliveries. Short: every event the platform
    /// sends comes from an outbox row that stays unpublished until acknowledged, so a delivery cut
    /// off here is sent again after the restart; waiting longer only delays a stop while the broker
    /// is away (`KAFKA_FLUSH_TIMEOUT_MS`).
    public var flushTimeoutMilliseconds: Int = 2_000

    public init(kafka: KafkaConfiguration) { self.kafka = kafka }

    /// librdkafka's `message.max.bytes` (its default 1,000,000 unless `KAFKA_PROP_MESSAGE_MAX_BYTES`
    /// sets it): a larger message is refused at produce time. Keep it at or below the broker's
    /// `message.max.bytes` / the topic's `max.message.bytes`.
    public var maxMessageBytes: Int { kafka.properties["message.max.bytes"].flatMap { Int($0) } ?? 1_000_000 }

    func properties() -> [String: String] {
        // Idempotent producer: no duplicates or reordering from the producer's own retries.
        // No compression by default: on one box whose two cores are the limit, lz4 cost more CPU in the
        // producers and consumers than it saved the broker (scripts/profile.sh, README: Performance).
        // A cluster across a network sets `KAFKA_PROP_COMPRESSION_TYPE=lz4` (the size limit then
        // still applies to the message as produced: `maxMessageBytes`).
        ["enable.idempotence": "true", "acks": "all", "linger.ms": String(lingerMilliseconds),
         "queue.buffering.max.messages": "1000000"]
            .merging(kafka.baseProperties()) { _, override in override }
    }
}

public struct KafkaConsumerConfiguration: Sendable {
    public var kafka: KafkaConfiguration
    public var groupID: String
    public var topics: [String]
    /// Where a new group starts: "earliest" so that no event published before the first start is missed.
    public var autoOffsetReset: String = "earliest"
    /// How many messages the poll thread hands over at most before the reader catches up.
    public var bufferCapacity: Int = 10_000

    public init(kafka: KafkaConfiguration, groupID: String, topics: [String]) {
        self.kafka = kafka
        self.groupID = groupID
        self.topics = topics
    }

    func properties() -> [String: String] {
        // Offsets are stored only by `markProcessed` once the work is durable, and committed by the
        // client in the background and on close: at-least-once, never before the effect exists.
        ["group.id": groupID, "auto.offset.reset": autoOffsetReset,
         "enable.auto.commit": "true", "enable.auto.offset.store": "false", "auto.commit.interval.ms": "500",
         "enable.partition.eof": "false", "session.timeout.ms": "10000", "heartbeat.interval.ms": "1000"]
            .merging(kafka.baseProperties()) { _, override in override }
    }
}
