import Foundation

/// The chain on the wire (`GET /api/audit/chain`): times in whole milliseconds, the precision the
/// hash covers, so an entry read by `medsup verify-audit` hashes as it did when it was written.
public enum AuditJSON {
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        encoder.outputFormatting = .sortedKeys
        return encoder
    }

    public static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return decoder
    }
}

/// A service's chain as `GET /api/audit/chain` answers it: its name and its entries in order.
public struct StoredChain: Codable, Sendable {
    public var chain: String
    public var entries: [AuditEntry]

    public init(chain: String, entries: [AuditEntry]) {
        self.chain = chain
        self.entries = entries
    }
}
