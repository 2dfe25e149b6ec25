import Foundation
import HISContract
import Kafka

/// A CloudEvent (v1.0) in Kafka binary mode: the attributes travel as `ce_*` headers and the
/// value is the JSON data, so any agency's ordinary Kafka client can read it.
public struct CloudEvent: Sendable, Equatable {
    /// Stable id: the consumers' deduplication key.
    public var id: String
    /// `/<service>`, e.g. `/intake`.
    public var source: String
    public var type: String
    public var time: Date
    /// W3C trace context of the request that caused the event (CloudEvents distributed tracing).
    public var traceparent: String?
    public var data: [UInt8]

    public init(id: String, source: String, type: String, time: Date = Date(), traceparent: String? = nil, data: [UInt8]) {
        self.id = id
        self.source = source
        self.type = type
        self.time = time
        self.traceparent = traceparent
        self.data = data
    }

    public init<T: Encodable>(id: String, source: String, type: String, time: Date = Date(), traceparent: String? = nil,
                              encoding payload: T) throws {
        self.init(id: id, source: source, type: type, time: time, traceparent: traceparent,
                  data: Array(try EventJSON.encoder.encode(payload)))
    }

    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try EventJSON.decoder.decode(type, from: Data(data))
    }

    public var kafkaHeaders: [KafkaHeader] {
        var headers = [
            KafkaHeader(key: "ce_specversion", string: "1.0"),
            KafkaHeader(key: "ce_id", string: id),
            KafkaHeader(key: "ce_source", string: source),
            KafkaHeader(key: "ce_type", string: type),
            KafkaHeader(key: "ce_time", string: EventJSON.timestamp(time)),
            KafkaHeader(key: "content-type", string: "application/json"),
        ]
        if let traceparent { headers.append(KafkaHeader(key: "traceparent", string: traceparent)) }
        return headers
    }

    /// Reads a consumed record; a record missing a required attribute is an error naming it.
    public init(message: KafkaConsumerMessage) throws {
        func required(_ key: String) throws -> String {
            guard let value = message.header(key), !value.isEmpty else {
                throw EventError.missingAttribute(key, topic: message.topic, offset: message.offset)
            }
            return value
        }
        guard try required("ce_specversion") == "1.0" else {
            throw EventError.unsupportedSpecVersion(message.header("ce_specversion") ?? "")
        }
        let time = message.header("ce_time").flatMap(EventJSON.parseTimestamp) ?? Date()
        self.init(id: try required("ce_id"), source: try required("ce_source"), type: try required("ce_type"),
                  time: time, traceparent: message.header("traceparent"), data: message.value)
    }
}

public enum EventError: Error, CustomStringConvertible {
    case missingAttribute(String, topic: String, offset: Int64)
    case unsupportedSpecVersion(String)

    public var description: String {
        switch self {
        case let .missingAttribute(key, topic, offset): "record at \(topic)@\(offset) has no \(key) header"
        case let .unsupportedSpecVersion(version): "unsupported CloudEvents specversion '\(version)'"
        }
    }
}

/// The JSON conventions of every event: snake_case keys (as the national interface spells its
/// fields, so `patient` records read as 3102 records), ISO 8601 times, sorted keys.
public enum EventJSON {
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(timestamp(date))
        }
        return encoder
    }()

    public static let decoder: JSONDecoder = {
        let decoder = timeDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()

    /// The same times, keys as they are: for payloads whose types spell their keys (`ClaimAccepted`).
    public static let literalDecoder = timeDecoder()

    private static func timeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = parseTimestamp(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an ISO 8601 time: \(text)"))
            }
            return date
        }
        return decoder
    }

    /// `yyyy-MM-ddTHH:mm:ss.SSSZ`, to the nearest millisecond, by arithmetic. The format style
    /// truncated a binary fraction: a time written, stored and read back could come out a
    /// millisecond apart, and an event written twice (from memory, from its row) must be the same.
    public static func timestamp(_ date: Date) -> String {
        let milliseconds = Int((date.timeIntervalSince1970 * 1_000).rounded())
        let seconds = milliseconds >= 0 ? milliseconds / 1_000 : (milliseconds - 999) / 1_000
        let civil = epoch.adding(seconds: seconds), fraction = milliseconds - seconds * 1_000
        let digits = String(fraction)
        return "\(civil.date)T\(civil.description.suffix(8)).\(String(repeating: "0", count: 3 - digits.count))\(digits)Z"
    }

    private static let epoch = CivilDateTime("1970-01-01 00:00:00")!

    public static func parseTimestamp(_ text: String) -> Date? {
        utcTimestamp(text)
            ?? (try? Date(text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true)))
            ?? (try? Date(text, strategy: .iso8601))
    }

    /// `yyyy-MM-ddTHH:mm:ss.SSSZ`, the form `timestamp(_:)` writes, read by arithmetic: every event
    /// carries one, and the format style's parser cost more per claim than the rest of the event.
    static func utcTimestamp(_ text: String) -> Date? {
        let utf8 = Array(text.utf8)
        guard utf8.count == 24, utf8[19] == UInt8(ascii: "."), utf8[23] == UInt8(ascii: "Z"),
              utf8[20..<23].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }), let milliseconds = Int(String(text.dropFirst(20).prefix(3))),
              let civil = CivilDateTime(String(text.prefix(19)), separator: UInt8(ascii: "T")) else { return nil }
        return Date(timeIntervalSince1970: Double(civil.secondsSinceEpoch) + Double(milliseconds) / 1_000)
    }
}
