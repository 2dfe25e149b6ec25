import Events
import Foundation
import Persistence
import PostgresNIO
import ReviewWorkflow

/// A report as the workbench shows it: what was reported (never who) and how far it got.
struct ReportRecord: Encodable, Sendable {
    var reportId: String
    var subjectType: String
    var subjectId: String
    var admdvs: String
    var content: String
    var evidence: [String]
    var receivedAt: Date
    var workflow: WhistleblowerReport
}

/// Reports in `whistleblower_reports`: the workflow kept as JSON of its own type, state and assignee
/// beside it for the lists.
struct ReportStore: Sendable {
    let database: Database
    var schema: String { database.schema }

    /// Takes a received report in once: a report sent again under another event id changes nothing.
    func insert(_ report: ReportReceived, region: String, on connection: PostgresConnection) async throws {
        let evidence = try jsonText(report.evidence), record = try jsonText(WhistleblowerReport(reportId: report.reportId))
        try await connection.query("""
            INSERT INTO \(unescaped: schema).whistleblower_reports
              (report_id, subject_type, subject_id, admdvs, content, evidence, received_at, state, record)
            VALUES (\(report.reportId), \(report.subjectType), \(report.subjectId), \(region), \(report.content), \(evidence)::jsonb,
                    \(report.receivedAt), \(ReportState.received.rawValue), \(record)::jsonb)
            ON CONFLICT (report_id) DO NOTHING
            """, logger: database.logger)
    }

    /// The report, locked for the rest of the transaction.
    func load(_ reportID: String, on connection: PostgresConnection) async throws -> ReportRecord {
        let rows = try await connection.query("""
            SELECT \(unescaped: Self.columns) FROM \(unescaped: schema).whistleblower_reports
            WHERE report_id = \(reportID) FOR UPDATE
            """, logger: database.logger)
        for try await row in rows.decode(Row.self) { return try Self.record(row) }
        throw WorkbenchError.notFound("no report \(reportID)")
    }

    func save(_ record: ReportRecord, on connection: PostgresConnection) async throws {
        let workflow = try jsonText(record.workflow)
        try await connection.query("""
            UPDATE \(unescaped: schema).whistleblower_reports SET state = \(record.workflow.state.rawValue),
                   assignee = \(record.workflow.assignee), record = \(workflow)::jsonb, updated_at = now()
            WHERE report_id = \(record.reportId)
            """, logger: database.logger)
    }

    /// Reports in the reviewer's regions, oldest first, optionally of one state.
    func list(in reviewer: Reviewer, state: ReportState?, on connection: PostgresConnection) async throws -> [ReportRecord] {
        let rows = try await connection.query("""
            SELECT \(unescaped: Self.columns) FROM \(unescaped: schema).whistleblower_reports
            WHERE admdvs LIKE \(reviewer.scopePattern) AND (\(state?.rawValue)::text IS NULL OR state = \(state?.rawValue))
            ORDER BY received_at, report_id LIMIT 500
            """, logger: database.logger)
        var records: [ReportRecord] = []
        for try await row in rows.decode(Row.self) { records.append(try Self.record(row)) }
        return records
    }

    /// The claims among `ids` that are stored here (a report's links).
    func storedClaims(_ ids: [String], on connection: PostgresConnection) async throws -> Set<String> {
        let rows = try await connection.query("""
            SELECT claim_id FROM \(unescaped: schema).claims WHERE claim_id = ANY(\(ids))
            """, logger: database.logger)
        var found = Set<String>()
        for try await id in rows.decode(String.self) { found.insert(id) }
        return found
    }

    private typealias Row = (String, String, String, String, String, String, Date, String)
    private static let columns = "report_id, subject_type, subject_id, admdvs, content, evidence::text, received_at, record::text"

    private static func record(_ row: Row) throws -> ReportRecord {
        let decoder = JSONDecoder()
        return ReportRecord(reportId: row.0, subjectType: row.1, subjectId: row.2, admdvs: row.3, content: row.4,
                            evidence: try decoder.decode([String].self, from: Data(row.5.utf8)), receivedAt: row.6,
                            workflow: try decoder.decode(WhistleblowerReport.self, from: Data(row.7.utf8)))
    }
}
