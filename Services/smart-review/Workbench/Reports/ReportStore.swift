import Foundation
import Hummingbird
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
extension Workbench {
    func loadReport(_ reportID: String, on connection: PostgresConnection) async throws -> ReportRecord {
        let rows = try await connection.query("""
            SELECT \(unescaped: Self.reportColumns) FROM \(unescaped: schema).whistleblower_reports
            WHERE report_id = \(reportID) FOR UPDATE
            """, logger: database.logger)
        for try await row in rows.decode(ReportRow.self) { return try Self.record(row) }
        throw HTTPError(.notFound, message: "no report \(reportID)")
    }

    func saveReport(_ record: ReportRecord, on connection: PostgresConnection) async throws {
        let workflow = String(decoding: try JSONEncoder().encode(record.workflow), as: UTF8.self)
        try await connection.query("""
            UPDATE \(unescaped: schema).whistleblower_reports SET state = \(record.workflow.state.rawValue),
                   assignee = \(record.workflow.assignee), record = \(workflow)::jsonb, updated_at = now()
            WHERE report_id = \(record.reportId)
            """, logger: database.logger)
    }

    /// Reports in the reviewer's regions, oldest first, optionally of one state.
    func reports(in reviewer: Reviewer, state: ReportState?, on connection: PostgresConnection) async throws -> [ReportRecord] {
        let rows = try await connection.query("""
            SELECT \(unescaped: Self.reportColumns) FROM \(unescaped: schema).whistleblower_reports
            WHERE admdvs LIKE \(reviewer.scopePattern) AND (\(state?.rawValue)::text IS NULL OR state = \(state?.rawValue))
            ORDER BY received_at, report_id LIMIT 500
            """, logger: database.logger)
        var records: [ReportRecord] = []
        for try await row in rows.decode(ReportRow.self) { records.append(try Self.record(row)) }
        return records
    }

    private typealias ReportRow = (String, String, String, String, String, String, Date, String)
    private static let reportColumns = "report_id, subject_type, subject_id, admdvs, content, evidence::text, received_at, record::text"

    private static func record(_ row: ReportRow) throws -> ReportRecord {
        let decoder = JSONDecoder()
        return ReportRecord(reportId: row.0, subjectType: row.1, subjectId: row.2, admdvs: row.3, content: row.4,
                            evidence: try decoder.decode([String].self, from: Data(row.5.utf8)), receivedAt: row.6,
                            workflow: try decoder.decode(WhistleblowerReport.self, from: Data(row.7.utf8)))
    }
}
