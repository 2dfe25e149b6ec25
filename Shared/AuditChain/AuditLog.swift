import Foundation

/// The last entry of a log as kept somewhere else (a checkpoint, the previous page): lets a
/// verification notice entries cut from the end, which a chain alone cannot show.
public struct AuditHead: Codable, Sendable, Equatable, Hashable {
    public var sequence: UInt64
    public var hash: String

    public init(sequence: UInt64, hash: String) {
        self.sequence = sequence
        self.hash = hash
    }
}

/// What is wrong at the first bad position.
public enum AuditProblem: Codable, Sendable, Equatable {
    /// The entry there carries another sequence number (an entry deleted, inserted or moved).
    case sequenceMismatch(found: UInt64)
    /// The entry does not point at the hash of the one before (deleted, inserted, reordered, or the
    /// entry before was edited and re-hashed).
    case previousHashMismatch
    /// The entry's content no longer gives its hash (edited).
    case hashMismatch
    /// The log ends before the expected head (entries cut from the end).
    case truncated
    /// The entry at the expected head's sequence has another hash.
    case headMismatch
}

public enum VerificationResult: Codable, Sendable, Equatable {
    /// The chain holds; `head` is its last entry (nil for an empty log).
    case valid(count: Int, head: AuditHead?)
    /// The first sequence number where the chain does not hold, and why.
    case broken(sequence: UInt64, problem: AuditProblem)

    public var isValid: Bool {
        if case .valid = self { true } else { false }
    }
}

/// An append-only, tamper-evident log (执法全过程记录). Appending is the only change it offers; the
/// entries, once stored, are checked with `verify`.
public struct AuditLog: Codable, Sendable, Equatable {
    public private(set) var entries: [AuditEntry]

    public init() { entries = [] }

    /// The last entry's sequence and hash, to keep as a checkpoint.
    public var head: AuditHead? { entries.last.map { AuditHead(sequence: $0.sequence, hash: $0.hash) } }

    @discardableResult
    public mutating func append(time: Date, actor: String, action: String, subject: String,
                                details: [String: String] = [:]) -> AuditEntry {
        let entry = AuditEntry.next(after: entries.last, time: time, actor: actor, action: action,
                                    subject: subject, details: details)
        entries.append(entry)
        return entry
    }

    /// Checks the chain and names the first sequence number where it breaks.
    ///
    /// - Parameters:
    ///   - entries: consecutive entries, from sequence 1 or from just after `anchor`.
    ///   - anchor: the entry before the first one given, when verifying a later page.
    ///   - expectedHead: a checkpoint the log must reach, to catch entries cut from the end.
    ///
    /// An edited entry whose hash was recomputed is caught at the entry after it (its `previousHash`
    /// no longer matches), or by `expectedHead` when it is the last.
    public static func verify(_ entries: [AuditEntry], after anchor: AuditHead? = nil,
                              expectedHead: AuditHead? = nil) -> VerificationResult {
        var expectedSequence = (anchor?.sequence ?? 0) + 1
        var expectedPrevious = anchor?.hash ?? AuditEntry.genesisHash
        for entry in entries {
            if entry.sequence != expectedSequence {
                return .broken(sequence: expectedSequence, problem: .sequenceMismatch(found: entry.sequence))
            }
            if entry.previousHash != expectedPrevious {
                return .broken(sequence: expectedSequence, problem: .previousHashMismatch)
            }
            if entry.computedHash != entry.hash {
                return .broken(sequence: expectedSequence, problem: .hashMismatch)
            }
            expectedPrevious = entry.hash
            expectedSequence += 1
        }
        let head = entries.last.map { AuditHead(sequence: $0.sequence, hash: $0.hash) } ?? anchor
        if let expectedHead {
            if expectedHead.sequence >= expectedSequence {
                return .broken(sequence: expectedSequence, problem: .truncated)
            }
            let firstGiven = (anchor?.sequence ?? 0) + 1
            let hashThere = expectedHead.sequence >= firstGiven
                ? entries[Int(expectedHead.sequence - firstGiven)].hash
                : (expectedHead.sequence == anchor?.sequence ? anchor?.hash : nil)
            if let hashThere, hashThere != expectedHead.hash {
                return .broken(sequence: expectedHead.sequence, problem: .headMismatch)
            }
        }
        return .valid(count: entries.count, head: head)
    }
}
