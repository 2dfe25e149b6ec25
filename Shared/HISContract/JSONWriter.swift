import Foundation

/// Writes JSON byte for byte as `HISJSON.encoder` (Foundation's encoder, sorted keys) writes it:
/// members in the encoder's order, absent optionals left out, `/` escaped, amounts as `Decimal`
/// describes them. intake encodes each settlement once on its hot path, where Foundation's encoder
/// cost ~150 µs a claim (scripts/profile.sh); the tests hold the two to the same bytes.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    private var needsComma = false

    public init(capacity: Int = 4_096) { bytes.reserveCapacity(capacity) }

    /// An object whose members `body` writes, in the encoder's (sorted) order.
    public mutating func object(_ body: (inout JSONWriter) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        body(&self)
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    public mutating func array<C: Collection>(_ elements: C, _ element: (inout JSONWriter, C.Element) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
        for value in elements { element(&self, value) }
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// A member's key; its value follows.
    public mutating func key(_ key: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        needsComma = false
    }

    public mutating func member(_ key: StaticString, _ value: String?) {
        guard let value else { return }
        self.key(key)
        string(value)
    }

    /// A member whose key is known only at run time (a map's entries).
    public mutating func member(_ key: String, _ value: String) {
        string(key)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
        string(value)
    }

    public mutating func member(_ key: StaticString, _ value: Decimal?) {
        guard let value else { return }
        self.key(key)
        raw(value.description)
    }

    public mutating func member(_ key: StaticString, _ value: Int) {
        self.key(key)
        raw(String(value))
    }

    public mutating func member(_ key: StaticString, _ values: [String]?) {
        guard let values else { return }
        self.key(key)
        array(values) { $0.string($1) }
    }

    /// A member whose value is JSON already written (a record as received or as stored).
    public mutating func member(_ key: StaticString, json value: [UInt8]) {
        self.key(key)
        bytes.append(contentsOf: value)
        needsComma = true
    }

    public mutating func string(_ value: String) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        // Most strings (codes, dates, names) need no escape: copied whole.
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "/") }) {
            bytes.append(contentsOf: value.utf8)
        } else {
            escape(value)
        }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    private mutating func escape(_ value: String) {
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(contentsOf: [UInt8(ascii: "\\"), byte])
            case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case ..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: Array(#"\u00"#.utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: bytes.append(byte)
            }
        }
    }

    private mutating func raw(_ text: String) {
        separate()
        bytes.append(contentsOf: text.utf8)
        needsComma = true
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }
}
