/// Compares two secrets in time that depends on their lengths only, never on where they first
/// differ, so a caller cannot find a token byte by byte from response times.
public func constantTimeEqual(_ a: some StringProtocol, _ b: some StringProtocol) -> Bool {
    constantTimeEqual(Array(a.utf8), Array(b.utf8))
}

public func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
}
