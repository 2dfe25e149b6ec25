import Crypto
import Foundation

/// One entry of the full-process record (执法全过程记录): who did what to which subject, chained to
/// the entry before it by `previousHash`, so an edit, deletion, insertion or reordering breaks the chain.
public struct AuditEntry: Codable, Sendable, Equatable {
    /// 1 for the first entry, then consecutive.
    public var sequence: UInt64
    /// Whole milliseconds: the precision the canonical form keeps, so storage that keeps milliseconds
    /// or better (PostgreSQL timestamptz, JSON) round-trips without breaking the hash.
    public var time: Date
    public var actor: String
    public var action: String
    /// What the action was about (a claim, item, case id…).
    public var subject: String
    public var details: [String: String]
    /// `hash` of the entry before, `AuditEntry.genesisHash` for the first.
    public var previousHash: String
    /// Lower-case hex SHA-256 of `canonicalForm`.
    public var hash: String

    /// An entry as stored, every field as read (a tampered row stays tampered); new entries come from `next`.
    public init(sequence: UInt64, time: Date, actor: String, action: String, subject: String, details: [String: String],
                previousHash: String, hash: String) {
        self.sequence = sequence
        self.time = time
        self.actor = actor
        self.action = action
        self.subject = subject
        self.details = details
        self.previousHash = previousHash
        self.hash = hash
    }

    /// The `previousHash` of the first entry: 64 zeros.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// Builds the entry that follows `previous` (nil for the first), with its time cut to whole
    /// milliseconds and its hash computed.
    public static func next(after previous: AuditEntry?, time: Date, actor: String, action: String,
                            subject: String, details: [String: String] = [:]) -> AuditEntry {
        var entry = AuditEntry(sequence: (previous?.sequence ?? 0) + 1,
                               time: Date(timeIntervalSince1970: Double(milliseconds(of: time)) / 1000),
                               actor: actor, action: action, subject: subject, details: details,
                               previousHash: previous?.hash ?? genesisHash, hash: "")
        entry.hash = entry.computedHash
        return entry
    }

    /// The bytes hashed, every field but `hash`, in a fixed order and unambiguous:
    ///
    ///     medsup-audit/1\n
    ///     sequence:<decimal>\n
    ///     time:<milliseconds since 1970, decimal>\n
    ///     actor:<UTF-8 byte count>:<text>\n      (same for action, subject)
    ///     details:<count>\n
    ///     <key byte count>:<key>=<value byte count>:<value>\n   (keys in UTF-8 byte order)
    ///     previousHash:<hex>\n
    ///
    /// Length prefixes make any text (newlines, colons) safe; another language can rebuild it exactly.
    public var canonicalForm: [UInt8] {
        var text = "medsup-audit/1\nsequence:\(sequence)\ntime:\(Self.milliseconds(of: time))\n"
        for (name, value) in [("actor", actor), ("action", action), ("subject", subject)] {
            text += "\(name):\(Self.counted(value))\n"
        }
        let keys = details.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        text += "details:\(keys.count)\n"
        for key in keys {
            text += "\(Self.counted(key))=\(Self.counted(details[key] ?? ""))\n"
        }
        text += "previousHash:\(previousHash)\n"
        return Array(text.utf8)
    }

    /// SHA-256 of `canonicalForm` as lower-case hex.
    public var computedHash: String {
        SHA256.hash(data: canonicalForm).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    private static func counted(_ text: String) -> String { "\(text.utf8.count):\(text)" }

    static func milliseconds(of time: Date) -> Int64 {
        Int64((time.timeIntervalSince1970 * 1000).rounded())
    }
}
