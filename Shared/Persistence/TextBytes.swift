import NIOCore
import PostgresNIO

/// UTF-8 text bound as `text` from its bytes, without a `String` between: a claim's record (~3 KB)
/// arrives as bytes and is stored as they are, and `String(decoding:)` checked and copied every
/// record once more before PostgresNIO copied it again into the message (`_fromUTF8Repairing`, ~1.4%
/// of intake's CPU under scripts/profile.sh). PostgreSQL checks the encoding of what it receives
/// (`text_recv`), so bytes that are not UTF-8 are still refused, by the server, naming the encoding.
public struct TextBytes: Sendable, PostgresNonThrowingEncodable, PostgresArrayEncodable {
    public var bytes: [UInt8]

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public static var psqlType: PostgresDataType { .text }
    public static var psqlArrayType: PostgresDataType { .textArray }
    public static var psqlFormat: PostgresFormat { .binary }

    public func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        buffer.writeBytes(bytes)
    }
}
