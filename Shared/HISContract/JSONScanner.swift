import Foundation

/// A strict JSON reader over UTF-8 bytes, for the hot path's national records: it reads values
/// where they lie, with no intermediate tree, no `Codable` boxes and one allocation per string.
/// Foundation's decoder spent about 450 µs a claim (9.5 fee lines) in intake, most of it
/// allocating and releasing its containers (scripts/profile.sh).
///
/// It accepts only plain, well-formed JSON of the expected shapes and throws `Mismatch` at
/// anything else (a wrong type, a missing member, an unusual number). Callers then ask
/// Foundation's decoder, whose answer (or field-level error) stays the one the platform gives;
/// so this reader can be strict without being a second definition of the contract.
public struct JSONScanner: ~Copyable {
    /// Where the bytes stopped being what the reader expects.
    public struct Mismatch: Error, CustomStringConvertible {
        public let offset: Int
        public var description: String { "unexpected JSON at byte \(offset)" }
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    /// Objects and arrays open around the position: a hostile body nests them deeply, and each
    /// level is a frame of the reader's stack (the fuzz tests crashed it before this bound).
    private var depth = 0
    private static let maxDepth = 64

    private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Reads one document: `body` reads the top-level value; only whitespace may follow it.
    public static func read<T>(_ data: some ContiguousBytes, _ body: (inout JSONScanner) throws -> T) throws -> T {
        try data.withUnsafeBytes { raw in
            var scanner = JSONScanner(raw.bindMemory(to: UInt8.self))
            let value = try body(&scanner)
            scanner.skipSpace()
            guard scanner.index == scanner.bytes.count else { throw scanner.mismatch() }
            return value
        }
    }

    public func mismatch() -> Mismatch { Mismatch(offset: index) }

    /// The bytes `body` reads (the value at the position, without the whitespace before it).
    public mutating func span<T>(_ body: (inout JSONScanner) throws -> T) throws -> (value: T, bytes: Range<Int>) {
        skipSpace()
        let start = index
        let value = try body(&self)
        return (value, start..<index)
    }

    // MARK: Structure

    /// Reads an object; `member` is called with each key and must read its value.
    public mutating func object(_ member: (inout JSONScanner, String) throws -> Void) throws {
        try expect(UInt8(ascii: "{"))
        try enter()
        defer { depth -= 1 }
        if try consume(UInt8(ascii: "}")) { return }
        repeat {
            let key = try string()
            try expect(UInt8(ascii: ":"))
            try member(&self, key)
        } while try consume(UInt8(ascii: ","))
        try expect(UInt8(ascii: "}"))
    }

    /// Reads an array, calling `element` for each of its values.
    public mutating func array(_ element: (inout JSONScanner) throws -> Void) throws {
        try expect(UInt8(ascii: "["))
        try enter()
        defer { depth -= 1 }
        if try consume(UInt8(ascii: "]")) { return }
        repeat { try element(&self) } while try consume(UInt8(ascii: ","))
        try expect(UInt8(ascii: "]"))
    }

    /// Consumes `null` if it is next.
    public mutating func null() -> Bool {
        skipSpace()
        guard index + 4 <= bytes.count, bytes[index] == UInt8(ascii: "n"), bytes[index + 1] == UInt8(ascii: "u"),
              bytes[index + 2] == UInt8(ascii: "l"), bytes[index + 3] == UInt8(ascii: "l") else { return false }
        index += 4
        return true
    }

    /// Skips a value of any kind (a member the reader does not know).
    public mutating func skipValue() throws {
        switch try peek() {
        case UInt8(ascii: "{"): try object { scanner, _ in try scanner.skipValue() }
        case UInt8(ascii: "["): try array { try $0.skipValue() }
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: _ = try number()
        }
    }

    // MARK: Scalars

    /// A string value, escapes resolved; invalid UTF-8 or a raw control character is a mismatch.
    public mutating func string() throws -> String {
        try expect(UInt8(ascii: "\""))
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                defer { index += 1 }
                return try validated(UnsafeBufferPointer(rebasing: bytes[start..<index]))
            }
            if byte == UInt8(ascii: "\\") { return try escapedString(from: start) }
            guard byte >= 0x20 else { throw mismatch() }
            index += 1
        }
        throw mismatch()
    }

    public mutating func optionalString() throws -> String? { null() ? nil : try string() }

    /// Skips a string without building it when it is plain ASCII (codes, dates, amounts: most of
    /// what a reader skips, such as a whole call's records behind its envelope); anything else is
    /// read as `string()` reads it, so what is refused stays the same.
    private mutating func skipString() throws {
        skipSpace()
        let start = index
        try expect(UInt8(ascii: "\""))
        var high: UInt8 = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\""), high < 0x80 {
                index += 1
                return
            }
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            high |= byte
            index += 1
        }
        index = start
        _ = try string()
    }

    /// A number as a `Decimal`, exactly as written (up to 19 significant digits).
    public mutating func decimal() throws -> Decimal {
        let number = try number()
        return Decimal(sign: number.negative ? .minus : .plus, exponent: number.exponent, significand: Decimal(number.significand))
    }

    public mutating func optionalDecimal() throws -> Decimal? { null() ? nil : try decimal() }

    /// A whole number written without fraction or exponent.
    public mutating func int() throws -> Int {
        let start = index
        let number = try number()
        guard number.exponent == 0, !bytes[start..<index].contains(UInt8(ascii: ".")), number.significand <= UInt64(Int.max) else {
            throw mismatch()
        }
        return number.negative ? -Int(number.significand) : Int(number.significand)
    }

    public mutating func stringArray() throws -> [String] {
        try elements { try $0.string() }
    }

    // MARK: Internals

    private mutating func enter() throws {
        depth += 1
        guard depth <= Self.maxDepth else { throw mismatch() }
    }

    private mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private mutating func peek() throws -> UInt8 {
        skipSpace()
        guard index < bytes.count else { throw mismatch() }
        return bytes[index]
    }

    private mutating func expect(_ byte: UInt8) throws {
        guard try peek() == byte else { throw mismatch() }
        index += 1
    }

    private mutating func consume(_ byte: UInt8) throws -> Bool {
        guard try peek() == byte else { return false }
        index += 1
        return true
    }

    private mutating func literal(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count,
              word.withUTF8Buffer({ $0.elementsEqual(bytes[index..<index + count]) }) else { throw mismatch() }
        index += count
    }

    private func validated(_ utf8: UnsafeBufferPointer<UInt8>) throws -> String {
        // Codes, dates and amounts are ASCII, which is valid UTF-8 as it stands: a word-wide check
        // instead of the validating decoder, which was most of the scanner's own time.
        if Self.isASCII(utf8) { return String(decoding: utf8, as: UTF8.self) }
        guard let text = String(validating: utf8, as: UTF8.self) else { throw mismatch() }
        return text
    }

    private static func isASCII(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        var high: UInt8 = 0
        for byte in utf8 { high |= byte }
        return high < 0x80
    }

    /// The slow half of `string()`: copies the string's bytes, resolving escapes as it goes.
    private mutating func escapedString(from start: Int) throws -> String {
        var utf8 = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""): return try utf8.withUnsafeBufferPointer { try validated($0) }
            case UInt8(ascii: "\\"): try unescape(into: &utf8)
            case ..<0x20: throw mismatch()
            default: utf8.append(byte)
            }
        }
        throw mismatch()
    }

    private mutating func unescape(into utf8: inout [UInt8]) throws {
        guard index < bytes.count else { throw mismatch() }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(byte)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if (0xD800...0xDBFF).contains(scalar) { // a surrogate pair: the low half must follow
                guard try literalEscape(), case let low = try hex4(), (0xDC00...0xDFFF).contains(low) else { throw mismatch() }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw mismatch() }
            utf8.append(contentsOf: String(Character(unicode)).utf8)
        default: throw mismatch()
        }
    }

    private mutating func literalEscape() throws -> Bool {
        guard index + 2 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else { return false }
        index += 2
        return true
    }

    private mutating func hex4() throws -> UInt32 {
        guard index + 4 <= bytes.count else { throw mismatch() }
        var value: UInt32 = 0
        for byte in bytes[index..<index + 4] {
            guard let digit = hexDigit(byte) else { throw mismatch() }
            value = value << 4 | digit
        }
        index += 4
        return value
    }

    private func hexDigit(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// A JSON number as sign, significand and decimal exponent; the grammar is JSON's, exactly.
    private mutating func number() throws -> (negative: Bool, significand: UInt64, exponent: Int) {
        skipSpace()
        let negative = index < bytes.count && bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        var significand: UInt64 = 0, digits = 0, exponent = 0
        let integerStart = index
        try digitRun { significand = significand &* 10 &+ UInt64($0); digits += 1 }
        // A leading zero stands alone ("0", "0.5"), as JSON requires.
        guard index - integerStart == 1 || bytes[integerStart] != UInt8(ascii: "0") else { throw mismatch() }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            try digitRun { significand = significand &* 10 &+ UInt64($0); digits += 1; exponent -= 1 }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var negativeExponent = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                negativeExponent = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var written = 0
            try digitRun { written = min(written * 10 + Int($0), 10_000) }
            exponent += negativeExponent ? -written : written
        }
        // Beyond 19 digits the significand would overflow; such a number is Foundation's to read.
        guard digits <= 19, (-128...127).contains(exponent) else { throw mismatch() }
        return (negative, significand, exponent)
    }

    /// One or more decimal digits, each handed to `digit`.
    private mutating func digitRun(_ digit: (UInt8) -> Void) throws {
        let start = index
        while index < bytes.count, case let byte = bytes[index] &- UInt8(ascii: "0"), byte < 10 {
            digit(byte)
            index += 1
        }
        guard index > start else { throw mismatch() }
    }
}
