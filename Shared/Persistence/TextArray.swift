import NIOCore
import PostgresNIO

/// Strings bound as one `text[]`, written in PostgreSQL's binary array format in one pass. A round
/// binds a dozen columns of hundreds of values each, and PostgresNIO's generic array encoding went
/// through each element's protocol witnesses and type metadata: 2.7% of intake's CPU during a
/// backfill, this 1.9% (`perf record -p`, session 25).
public struct TextArray: Sendable, PostgresNonThrowingEncodable {
    public var values: [String]

    public init(_ values: [String]) { self.values = values }

    public static var psqlType: PostgresDataType { .textArray }
    public static var psqlFormat: PostgresFormat { .binary }

    /// The layout `array_recv` reads, as PostgresNIO writes it: the number of dimensions (0 when
    /// empty), no nulls, the element type, then the one dimension's length and lower bound, then
    /// each element's length and bytes.
    public func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        buffer.writeInteger(values.isEmpty ? 0 : 1, as: UInt32.self)
        buffer.writeInteger(0, as: Int32.self)
        buffer.writeInteger(PostgresDataType.text.rawValue)
        guard !values.isEmpty else { return }
        buffer.writeInteger(Int32(values.count))
        buffer.writeInteger(1, as: Int32.self)
        buffer.reserveCapacity(minimumWritableBytes: values.reduce(4 * values.count) { $0 + $1.utf8.count })
        for value in values {
            buffer.writeInteger(Int32(value.utf8.count))
            buffer.writeString(value)
        }
    }
}

extension PostgresBindings {
    /// `values` as one `text[]` (`TextArray`).
    public mutating func append(texts values: [String]) { append(TextArray(values)) }
}
