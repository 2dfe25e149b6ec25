import Foundation
import PostgresNIO
import ReviewWorkflow

/// A rectification item of the clear-to-zero ledger (清零台账) as stored, with `overdue` decided by `Rectification`.
struct RectificationRecord: Codable, Sendable {
    var rectificationId: Int64
    var caseId: String
    var ruleId: String
    var problem: String
    var medinsId: String
    var admdvs: String
    /// The institution's responsible person named by the supervisor (责任人).
    var responsible: String
    var deadline: Date
    var state: RectificationState
    var report: String?
    var evidence: [String]?
    var reportedAt: Date?
    var reviewedBy: String?
    var opinion: String?
    var orderedBy: String
    var overdue: Bool

    var rule: Rectification { Rectification(state: state, deadline: deadline, reportedAt: reportedAt) }
}

/// Which rectifications to read: one by id (locked for a change), a case's, an institution's, overdue only.
struct RectificationFilter: Sendable {
    var id: Int64?
    var caseID: String?
    var medins: String?
    var overdueOnly = false
    var lock = false
}

extension LedgerStore {
    /// The rectifications matching `filter` in the reviewer's region (an institution: its own; nil: all), by deadline.
    func rectifications(_ filter: RectificationFilter, for reviewer: Reviewer?, on connection: PostgresConnection) async throws -> [RectificationRecord] {
        let medins = reviewer?.role == .institution ? reviewer?.medinsID : filter.medins
        let pattern = reviewer.map { $0.role == .institution ? "%" : $0.scopePattern } ?? "%"
        let rows = try await connection.query("""
            SELECT rectification_id, case_id, rule_id, problem, medins_id, admdvs, responsible, deadline, state, report, evidence::text,
                   reported_at, reviewed_by, opinion, ordered_by FROM \(unescaped: schema).rectifications
            WHERE (\(filter.id)::bigint IS NULL OR rectification_id = \(filter.id)) AND (\(filter.caseID)::text IS NULL OR case_id = \(filter.caseID))
              AND (\(medins)::text IS NULL OR medins_id = \(medins)) AND admdvs LIKE \(pattern)
            ORDER BY deadline, rectification_id \(unescaped: filter.lock ? "FOR UPDATE" : "")
            """, logger: database.logger)
        var records: [RectificationRecord] = []
        let now = Date()
        for try await (id, caseID, rule, problem, medins, region, responsible, deadline, state, report, evidence, reportedAt, reviewedBy, opinion, by)
            in rows.decode((Int64, String, String, String, String, String, String, Date, String, String?, String?, Date?, String?, String?, String).self) {
            var record = RectificationRecord(rectificationId: id, caseId: caseID, ruleId: rule, problem: problem, medinsId: medins, admdvs: region,
                                             responsible: responsible, deadline: deadline, state: RectificationState(rawValue: state) ?? .open,
                                             report: report, evidence: stringList(evidence), reportedAt: reportedAt, reviewedBy: reviewedBy,
                                             opinion: opinion, orderedBy: by, overdue: false)
            record.overdue = record.rule.isOverdue(at: now)
            if !filter.overdueOnly || record.overdue { records.append(record) }
        }
        return records
    }

    /// The one rectification `id`, locked, that the reviewer may act on; another's is refused and recorded.
    func rectification(_ id: Int64, for reviewer: Reviewer, on connection: PostgresConnection) async throws -> RectificationRecord {
        // Read unrestricted, then checked, so that reaching for another's item is refused and recorded, not a 404.
        let all = try await rectifications(RectificationFilter(id: id, lock: true), for: nil, on: connection)
        guard let record = all.first else { throw WorkbenchError.notFound("no rectification \(id)") }
        try reviewer.requireAccess(medins: record.medinsId, region: record.admdvs)
        return record
    }

    func save(_ record: RectificationRecord, on connection: PostgresConnection) async throws {
        let evidence = try record.evidence.map { try jsonText($0) }
        try await connection.query("""
            UPDATE \(unescaped: schema).rectifications SET state = \(record.state.rawValue), report = \(record.report),
                   evidence = \(evidence)::jsonb, reported_at = \(record.reportedAt), reviewed_by = \(record.reviewedBy),
                   opinion = \(record.opinion) WHERE rectification_id = \(record.rectificationId)
            """, logger: database.logger)
    }

    /// Opens one rectification item per rule confirmed in the case; returns how many were new (0 when ordered before).
    func orderRectifications(of record: CaseRecord, responsible: String, deadline: Date, by reviewer: Reviewer,
                             on connection: PostgresConnection) async throws -> Int {
        let inserted = try await connection.query("""
            INSERT INTO \(unescaped: schema).rectifications (case_id, rule_id, problem, medins_id, admdvs, responsible, deadline, ordered_by)
            SELECT DISTINCT ON (f.rule_id) \(record.caseId), f.rule_id, COALESCE(f.body->>'rule_name', f.rule_id), \(record.medinsId),
                   \(record.admdvs), \(responsible), \(deadline), \(reviewer.user)
            FROM \(unescaped: schema).case_items ci JOIN \(unescaped: schema).review_items i USING (item_id)
            JOIN \(unescaped: schema).findings f ON f.claim_id = i.claim_id
            WHERE ci.case_id = \(record.caseId) ORDER BY f.rule_id
            ON CONFLICT (case_id, rule_id) DO NOTHING RETURNING rectification_id
            """, logger: database.logger)
        var count = 0
        for try await _ in inserted.decode(Int64.self) { count += 1 }
        return count
    }
}
