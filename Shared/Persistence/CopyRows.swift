import Logging
import NIOCore
import PostgresNIO

/// Rows for `COPY … FROM STDIN` (PostgreSQL's text format), written straight into one buffer.
/// COPY is the server's cheapest way in — no statement to plan, no arrays to take apart — and the
/// client writes each value once instead of encoding an `unnest` array per column; but it is two
/// round trips (its start, then the rows). So it carries large runs of rows a transaction knows
/// to be new (smart-review's claims, the outbox's many entries; COPY has no `ON CONFLICT`: a
/// duplicate fails the whole transaction), and intake's small rounds use one `INSERT … unnest`.
public struct CopyRows: Sendable {
    public private(set) var buffer: ByteBuffer
    public private(set) var count = 0
    private var startsRow = true

    public init(capacity: Int = 4_096) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    /// A text value; nil is SQL NULL.
    public mutating func text(_ value: String?) {
        separate()
        guard var value else { return null() }
        value.withUTF8 { write($0) }
    }

    /// A text value given as its UTF-8 bytes (a JSON record as received).
    public mutating func bytes(_ value: some Collection<UInt8>) {
        separate()
        if let done: Void = value.withContiguousStorageIfAvailable({ write($0) }) { return done }
        write(Array(value).withUnsafeBufferPointer { $0 })
    }

    /// A `bytea` value in hex (`\x…`, its backslash escaped for COPY), written in one pass
    /// into reserved space (byte by byte through `writeInteger` it cost ~200 µs a claim).
    public mutating func bytea(_ value: some Collection<UInt8>) {
        separate()
        buffer.writeStaticString("\\\\x")
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 2 * value.count) { out in
            var at = 0
            for byte in value {
                out[at] = Self.hexDigit(byte >> 4)
                out[at + 1] = Self.hexDigit(byte & 0xF)
                at += 2
            }
            return at
        }
    }

    @inline(__always)
    private static func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? nibble + 48 : nibble + 87 }

    public mutating func int(_ value: Int) {
        separate()
        buffer.writeString(String(value))
    }

    public mutating func endRow() {
        buffer.writeInteger(UInt8(ascii: "\n"))
        count += 1
        startsRow = true
    }

    private mutating func null() { buffer.writeStaticString("\\N") }

    private mutating func separate() {
        if !startsRow { buffer.writeInteger(UInt8(ascii: "\t")) }
        startsRow = false
    }

    /// Backslash, tab, newline and carriage return are escaped; the runs between them (a whole
    /// value, for nearly every one) are copied as they are.
    private mutating func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        var start = bytes.startIndex
        while let special = bytes[start...].firstIndex(where: Self.isSpecial) {
            buffer.writeBytes(UnsafeBufferPointer(rebasing: bytes[start..<special]))
            switch bytes[special] {
            case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
            case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
            case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
            default: buffer.writeStaticString("\\r")
            }
            start = special + 1
        }
        buffer.writeBytes(UnsafeBufferPointer(rebasing: bytes[start...]))
    }

    private static func isSpecial(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }
}

extension PostgresConnection {
    /// Copies `rows` into `schema.table` inside the caller's transaction. PostgresNIO writes the
    /// COPY target between one pair of double quotes, as passed; the schema and the table are our
    /// own lower-case identifiers (`DB_SCHEMA` is checked at start-up), so passing `schema"."table`
    /// names the table qualified — before, a `set_config('search_path')` round trip per COPY did.
    public func copy(_ rows: CopyRows, into table: String, columns: [String], schema: String, logger: Logger) async throws {
        guard rows.count > 0 else { return }
        precondition(Self.isPlainIdentifier(schema) && Self.isPlainIdentifier(table), "COPY target must be plain identifiers")
        let target = schema + "\".\"" + table
        // Out of reach of cancellation: PostgresNIO 1.33 stops the process (fatalError "Copy mode is
        // only supported for extended queries") when a COPY is cancelled mid-write, and a transaction
        // given up (`Database.transaction`) cancels its body; seen in scripts/faults.sh when the
        // health found PostgreSQL restarting. The transaction still rolls back after the COPY (the
        // check after its body), and the caller given up does not wait for it (`giveUp`).
        try await Task { try await copyFrom(table: target, columns: columns, logger: logger) { try await $0.write(rows.buffer) } }.value
    }

    private static func isPlainIdentifier(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
    }
}
