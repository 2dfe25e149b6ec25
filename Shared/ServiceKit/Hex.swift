extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal, two digits a byte. `String(format: "%02x")` per byte goes through
    /// Foundation's formatter, about a microsecond a byte: on intake's credential check, every
    /// request paid it for a 32-byte digest.
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
