import CRdKafka
import Foundation
import Logging

let librdkafkaLogger = Logger(label: "librdkafka")

/// librdkafka's version as a string, e.g. "2.8.0".
public var librdkafkaVersion: String { cString(rd_kafka_version_str()) }

/// The platform needs librdkafka 2.3 or newer: 2.0.x mis-parses modern brokers' ApiVersions v3 reply.
public func requireSupportedLibrdkafka() throws {
    let minimum: Int32 = 0x0203_0000
    guard rd_kafka_version() >= minimum else {
        throw KafkaError("librdkafka \(librdkafkaVersion) is too old: 2.3.0 or newer is required "
            + "(run scripts/setup.sh, which installs 2.8.0 under /usr/local)")
    }
}

/// Builds an `rd_kafka_conf_t` from properties; a rejected property is an error naming it.
/// librdkafka's own log lines go through swift-log, like every other line of the service.
func makeConf(_ properties: [String: String]) throws -> OpaquePointer {
    let conf = rd_kafka_conf_new()!
    rd_kafka_conf_set_log_cb(conf) { rk, level, facility, message in
        guard let message else { return }
        let text = cString(message), client = rk.map { cString(rd_kafka_name($0)) } ?? "-"
        librdkafkaLogger.log(level: level <= 3 ? .error : level == 4 ? .warning : level <= 6 ? .info : .debug,
                             "\(text)", metadata: ["client": "\(client)", "facility": "\(facility.map(cString) ?? "")"])
    }
    var errstr = [CChar](repeating: 0, count: 512)
    for (key, value) in properties.sorted(by: { $0.key < $1.key }) {
        if rd_kafka_conf_set(conf, key, value, &errstr, errstr.count) != RD_KAFKA_CONF_OK {
            rd_kafka_conf_destroy(conf)
            throw KafkaError("Kafka property \(key)=\(value) rejected: \(cString(errstr))")
        }
    }
    return conf
}

func makeClient(_ type: rd_kafka_type_t, conf: OpaquePointer) throws -> OpaquePointer {
    var errstr = [CChar](repeating: 0, count: 512)
    guard let rk = rd_kafka_new(type, conf, &errstr, errstr.count) else {
        rd_kafka_conf_destroy(conf)
        throw KafkaError("cannot create Kafka client: \(cString(errstr))")
    }
    return rk
}

/// Runs a blocking librdkafka call on a thread of its own, never on Swift's cooperative pool.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: body()) }
    }
}

/// Asks the cluster for its metadata: true when at least one broker answered within the timeout.
func brokersReachable(_ rk: OpaquePointer, timeoutMilliseconds: Int32) -> Bool {
    var metadata: UnsafePointer<rd_kafka_metadata>?
    let err = rd_kafka_metadata(rk, 0, nil, &metadata, timeoutMilliseconds)
    if let metadata { rd_kafka_metadata_destroy(metadata) }
    return err == RD_KAFKA_RESP_ERR_NO_ERROR
}

/// A C string from librdkafka as a Swift string (invalid UTF-8 is repaired, never a crash).
func cString(_ pointer: UnsafePointer<CChar>) -> String {
    String(decoding: UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)), as: UTF8.self)
}
