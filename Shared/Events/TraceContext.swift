/// W3C trace context (`traceparent: 00-<trace-id>-<parent-id>-<flags>`): one claim can be followed
/// from the hospital's HTTP request through every Kafka event into every log line.
public struct TraceContext: Sendable, Equatable {
    public var traceID: String
    public var spanID: String
    public var sampled: Bool

    public init(traceID: String, spanID: String, sampled: Bool = true) {
        self.traceID = traceID
        self.spanID = spanID
        self.sampled = sampled
    }

    /// Parses a `traceparent` header; nil when malformed (then a new trace starts).
    public init?(traceparent: String) {
        let parts = traceparent.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "00", parts[1].count == 32, parts[2].count == 16, parts[3].count == 2,
              parts[1].allSatisfy(\.isHexDigit), parts[2].allSatisfy(\.isHexDigit),
              parts[1] != String(repeating: "0", count: 32), parts[2] != String(repeating: "0", count: 16)
        else { return nil }
        self.init(traceID: String(parts[1]).lowercased(), spanID: String(parts[2]).lowercased(), sampled: parts[3] == "01")
    }

    public static func random() -> TraceContext { TraceContext(traceID: randomHex(16), spanID: randomHex(8)) }

    /// The same trace, a new span: what a service passes on.
    public func child() -> TraceContext { TraceContext(traceID: traceID, spanID: Self.randomHex(8), sampled: sampled) }

    public var traceparent: String { "00-\(traceID)-\(spanID)-\(sampled ? "01" : "00")" }

    private static let digits = Array("0123456789abcdef".utf8)

    /// One system call per 8 random bytes: a call per byte, each with a String of its own, was
    /// ~36 µs of intake's CPU per claim (scripts/profile.sh), on every request.
    private static func randomHex(_ bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator(), hex: [UInt8] = []
        hex.reserveCapacity(bytes * 2)
        while hex.count < bytes * 2 {
            var word: UInt64 = generator.next()
            for _ in 0..<min(8, bytes - hex.count / 2) {
                hex += [digits[Int(word >> 4 & 0xF)], digits[Int(word & 0xF)]]
                word >>= 8
            }
        }
        return String(decoding: hex, as: UTF8.self)
    }
}
