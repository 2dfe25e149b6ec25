/// What a full check of a stored chain against its published heads found. Unlike `AuditLog.verify`,
/// which stops at the first break, this walks everything, so one report names every kind of damage
/// (a rewritten entry and a cut end together).
public enum ChainFinding: Codable, Sendable, Equatable, CustomStringConvertible {
    /// The entry's content no longer gives its stored hash: it was edited.
    case altered(sequence: UInt64)
    /// The entry does not point at the stored hash of the one before: that one was rewritten and
    /// re-hashed, or entries were removed or inserted between them.
    case relinked(sequence: UInt64)
    /// Sequence numbers missing inside the chain.
    case missing(from: UInt64, to: UInt64)
    /// A published head lies beyond the chain's end: entries were cut from it.
    case truncated(publishedHead: UInt64, chainEnds: UInt64)
    /// The entry at a published head's sequence has another hash: it (or one before) was rewritten.
    case headMismatch(sequence: UInt64)

    public var description: String {
        switch self {
        case .altered(let sequence): "entry \(sequence) was altered (its content no longer gives its hash)"
        case .relinked(let sequence): "entry \(sequence) no longer follows the entry before it (rewritten, removed or inserted before it)"
        case .missing(let from, let to): "entries \(from)…\(to) are missing"
        case .truncated(let head, let end): "the chain ends at \(end) but a head at \(head) was published: entries were cut from its end"
        case .headMismatch(let sequence): "entry \(sequence) differs from the head published for it: rewritten"
        }
    }
}

public enum ChainCheck {
    /// Every problem of `entries` (in sequence order, from 1) against the heads once published for them.
    public static func findings(_ entries: [AuditEntry], publishedHeads: [AuditHead]) -> [ChainFinding] {
        var findings: [ChainFinding] = []
        var previous: AuditEntry?
        for entry in entries {
            let expected = (previous?.sequence ?? 0) + 1
            if entry.sequence > expected { findings.append(.missing(from: expected, to: entry.sequence - 1)) }
            if entry.computedHash != entry.hash { findings.append(.altered(sequence: entry.sequence)) }
            if entry.previousHash != (previous?.hash ?? AuditEntry.genesisHash) { findings.append(.relinked(sequence: entry.sequence)) }
            previous = entry
        }
        let bySequence = Dictionary(entries.map { ($0.sequence, $0.hash) }, uniquingKeysWith: { first, _ in first })
        let end = entries.last?.sequence ?? 0
        if let furthest = publishedHeads.map(\.sequence).max(), furthest > end {
            findings.append(.truncated(publishedHead: furthest, chainEnds: end))
        }
        for head in Set(publishedHeads).sorted(by: { $0.sequence < $1.sequence }) {
            if let hash = bySequence[head.sequence], hash != head.hash { findings.append(.headMismatch(sequence: head.sequence)) }
        }
        return findings
    }
}
