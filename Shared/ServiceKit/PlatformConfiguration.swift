import Kafka
import Logging
import OperatorAccess
import Persistence

/// The settings every service shares. Variables and defaults (the README lists them too):
///
/// | variable | default | meaning |
/// |---|---|---|
/// | `HTTP_HOST` | 127.0.0.1 | address the HTTP API listens on |
/// | `HTTP_PORT` | per service (intake 8081, smart-review 8082, credit 8083, notification 8084) | |
/// | `KAFKA_BROKERS` | 127.0.0.1:9092 | bootstrap servers |
/// | `KAFKA_GROUP_PREFIX` | — | put before every consumer group id (`<service>.<consumer>`), so that two platforms can share a broker |
/// | `KAFKA_PROP_*` | — | librdkafka properties, e.g. `KAFKA_PROP_SECURITY_PROTOCOL=SASL_SSL` |
/// | `PGHOST` `PGPORT` `PGUSER` `PGPASSWORD` `PGDATABASE` | 127.0.0.1 5432 medsup medsup medsup | PostgreSQL |
/// | `PG_REQUIRE_TLS` | false | TLS to PostgreSQL |
/// | `PG_POOL_SIZE` | 10 | connections per service, opened at start and kept (`Database.init`) |
/// | `PG_TRANSACTION_TIMEOUT` | 60 | seconds after which database work outside a request is given up (a consumer retries) |
/// | `PG_REQUEST_TIMEOUT` | 10 | seconds after which one read or transaction of an HTTP request is given up (503) |
/// | `LOG_LEVEL` | info | trace, debug, info, notice, warning, error, critical |
/// | `CONSUMER_BATCH` | 1000 | events a consumer applies in one transaction at most (1: one by one) |
/// | `DB_SCHEMA` | the service's name, `-` as `_` | the schema the service owns (tests give each run its own) |
/// | `READY_MAX_OUTBOX_LAG_SECONDS` | 300 | `/ready` answers 503 "degraded" when the oldest unpublished event is older (0: never) |
/// | `READY_MAX_CONSUMER_LAG` | 100000 | `/ready` answers 503 "degraded" when a consumer is more events behind on a partition (0: never) |
/// | `KAFKA_FLUSH_TIMEOUT_MS` | 2000 | how long stopping waits for unacknowledged events (they stay in the outbox and go after the restart) |
/// | `OPERATOR_JWT_SECRET` | — (required, at least 32 bytes) | signs and verifies operator tokens; the same in all four services |
/// | `OPERATOR_TOKEN_SECONDS` | 900 | lifetime of an operator token issued at login |
/// | `AUDIT_HEAD_SECONDS` | 60 | how often the service publishes its audit chain's head (`audit.<service>`) |
/// | `SERVICE_CPU_CLASS` | normal | `idle`: the service's threads run in Linux's SCHED_IDLE class, only when no other thread wants the core (`CPUClass`; the scripts give it to the services behind intake with `MEDSUP_BEHIND_CLASS=idle`) |
public struct PlatformConfiguration: Sendable {
    public var service: String
    public var httpHost: String
    public var httpPort: Int
    public var kafka: KafkaConfiguration
    public var database: DatabaseConfiguration
    public var logLevel: Logger.Level
    /// Put before each consumer group id (`KAFKA_GROUP_PREFIX`).
    public var consumerGroupPrefix: String
    /// Events applied per transaction by each consumer (`CONSUMER_BATCH`).
    public var consumerBatch: Int
    public var environment: Environment
    /// When `/ready` reports the service degraded (`READY_MAX_OUTBOX_LAG_SECONDS`, `READY_MAX_CONSUMER_LAG`).
    public var readinessBounds: PipelineMonitor.Bounds
    /// `KAFKA_FLUSH_TIMEOUT_MS`.
    public var flushTimeoutMilliseconds: Int
    /// `OPERATOR_JWT_SECRET`, `OPERATOR_TOKEN_SECONDS`.
    public var operatorSecret: String
    public var operatorTokenSeconds: Int
    /// `AUDIT_HEAD_SECONDS`.
    public var auditHeadSeconds: Int

    public init(service: String, defaultHTTPPort: Int, environment env: Environment = Environment()) throws {
        self.service = service
        self.environment = env
        httpHost = env.string("HTTP_HOST", default: "127.0.0.1")
        httpPort = try env.int("HTTP_PORT", default: defaultHTTPPort, range: 1...65535)
        kafka = KafkaConfiguration(bootstrapServers: env.string("KAFKA_BROKERS", default: "127.0.0.1:9092"),
                                   clientID: service, properties: env.properties(prefix: "KAFKA_PROP_"))
        database = DatabaseConfiguration(
            host: env.string("PGHOST", default: "127.0.0.1"), port: try env.int("PGPORT", default: 5432, range: 1...65535),
            user: env.string("PGUSER", default: "medsup"), password: env.string("PGPASSWORD", default: "medsup"),
            database: env.string("PGDATABASE", default: "medsup"), requireTLS: try env.bool("PG_REQUIRE_TLS", default: false),
            maxConnections: try env.int("PG_POOL_SIZE", default: 10, range: 1...500),
            transactionTimeout: .seconds(try env.int("PG_TRANSACTION_TIMEOUT", default: 60, range: 1...3_600)),
            requestTimeout: .seconds(try env.int("PG_REQUEST_TIMEOUT", default: 10, range: 1...3_600)))
        let level = env.string("LOG_LEVEL", default: "info")
        guard let parsed = Logger.Level(rawValue: level) else {
            throw ConfigurationError(variable: "LOG_LEVEL", problem: "must be one of trace, debug, info, notice, warning, error, critical; got '\(level)'")
        }
        logLevel = parsed
        consumerGroupPrefix = env.string("KAFKA_GROUP_PREFIX", default: "")
        consumerBatch = try env.int("CONSUMER_BATCH", default: 1_000, range: 1...10_000)
        schema = try Self.schema(env, service: service)
        readinessBounds = PipelineMonitor.Bounds(outboxLagSeconds: try env.int("READY_MAX_OUTBOX_LAG_SECONDS", default: 300, range: 0...604_800),
                                                 consumerLag: try env.int("READY_MAX_CONSUMER_LAG", default: 100_000, range: 0...Int(Int32.max)))
        flushTimeoutMilliseconds = try env.int("KAFKA_FLUSH_TIMEOUT_MS", default: 2_000, range: 0...300_000)
        operatorSecret = try env.required("OPERATOR_JWT_SECRET")
        guard operatorSecret.utf8.count >= HS256Signer.minimumSecretBytes else {
            throw ConfigurationError(variable: "OPERATOR_JWT_SECRET", problem: "must have at least \(HS256Signer.minimumSecretBytes) bytes")
        }
        operatorTokenSeconds = try env.int("OPERATOR_TOKEN_SECONDS", default: 900, range: 30...86_400)
        auditHeadSeconds = try env.int("AUDIT_HEAD_SECONDS", default: 60, range: 1...86_400)
    }

    /// The schema a service owns: by default its name with `_` for `-` (smart-review → smart_review).
    public var schema: String

    /// A schema name is an SQL identifier: lower-case letters, digits and `_`.
    static func schema(_ env: Environment, service: String) throws -> String {
        let name = env.string("DB_SCHEMA", default: service.replacingOccurrences(of: "-", with: "_"))
        guard let first = name.first, first.isLetter, name.allSatisfy({ ($0.isLetter && $0.isLowercase) || $0.isNumber || $0 == "_" }) else {
            throw ConfigurationError(variable: "DB_SCHEMA", problem: "must be a lower-case SQL identifier, got '\(name)'")
        }
        return name
    }
}
