import CreditRules
import HISContract
import Logging
import PostgresNIO

/// Where an entry came from, kept beside it: the source (topic or API), the rule applied and
/// the evidence (claims, findings, the bureau's reference).
struct Provenance: Sendable, Codable {
    var source: String
    var rule: String?
    var evidence: [String]
}

/// Reads and appends credit files (table `entries`). Every change to one subject happens under a
/// transaction-scoped advisory lock on it, so two replicas never interleave one file.
struct FileStore: Sendable {
    let schema: String

    func lock(_ subject: CreditSubject, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\("credit:\(subject.kind.rawValue):\(subject.id)")))", logger: logger)
    }

    /// The file rebuilt from its stored entries (each transition checked again).
    func load(_ subject: CreditSubject, on connection: PostgresConnection, logger: Logger) async throws -> CreditFile {
        let rows = try await connection.query("""
            SELECT entry::text FROM \(unescaped: schema).entries
            WHERE subject_kind = \(subject.kind.rawValue) AND subject_id = \(subject.id) ORDER BY seq
            """, logger: logger)
        var entries: [CreditEntry] = []
        for try await text in rows.decode(String.self) { entries.append(try Stored.decode(CreditEntry.self, text)) }
        return try CreditFile(subject: subject, entries: entries)
    }

    /// Appends an entry dated `date`, or the file's last date when that is later (a late event is
    /// recorded when the file learns it, never slipped in before entries already recorded).
    /// Returns the entry, or nil when the same entry was already there.
    func append(_ event: CreditEvent, id: String, on date: CivilDate, by actor: String, provenance: Provenance,
                to file: inout CreditFile, connection: PostgresConnection, logger: Logger) async throws -> CreditEntry? {
        let day = max(date, file.entries.last?.recordedOn ?? date)
        let entry = CreditEntry(id: id, recordedOn: day, recordedBy: actor, event: event)
        do {
            guard try file.record(entry) == .applied else { return nil }
        } catch {
            throw CreditRefusal("\(error)")
        }
        try await connection.query("""
            INSERT INTO \(unescaped: schema).entries (subject_kind, subject_id, entry_id, recorded_on, recorded_by, source, rule, evidence, entry)
            VALUES (\(file.subject.kind.rawValue), \(file.subject.id), \(id), \(day.description), \(actor), \(provenance.source),
                    \(provenance.rule), \(try Stored.json(provenance.evidence))::jsonb, \(try Stored.json(entry))::jsonb)
            """, logger: logger)
        return entry
    }

    /// The stored provenance of each entry, by entry id (for the file's API answer).
    func provenance(of subject: CreditSubject, on connection: PostgresConnection, logger: Logger) async throws -> [String: Provenance] {
        let rows = try await connection.query("""
            SELECT entry_id, source, rule, evidence::text FROM \(unescaped: schema).entries
            WHERE subject_kind = \(subject.kind.rawValue) AND subject_id = \(subject.id)
            """, logger: logger)
        var result: [String: Provenance] = [:]
        for try await (id, source, rule, evidence) in rows.decode((String, String, String?, String).self) {
            result[id] = Provenance(source: source, rule: rule, evidence: try Stored.decode([String].self, evidence))
        }
        return result
    }
}
