import AuditTrail
import Foundation
import Hummingbird
import OperatorAccess
import Persistence
import PostgresNIO

/// Opening a whistle-blower's identity (举报人身份) takes two persons: one asks with a stated reason,
/// a second approves, then the first may open it, once. Each step commits with its audit entry;
/// the rules are `TwoPersonApproval`'s.
struct ReporterReveal: Sendable {
    static let tableSQL = """
        CREATE TABLE {schema}.reporter_reveal_requests (
          id bigserial PRIMARY KEY,
          report_id text NOT NULL,
          requested_by text NOT NULL,
          reason text NOT NULL,
          approved_by text,
          state text NOT NULL,
          requested_at timestamptz NOT NULL DEFAULT now(),
          changed_at timestamptz NOT NULL DEFAULT now());
        """

    struct Request: Encodable, Sendable {
        var requestId: Int64
        var reportId: String
        var requestedBy: String
        var approvedBy: String?
        var state: String
    }

    let reports: Reports
    var database: Database { reports.database }
    var audit: AuditStore { AuditStore(database: database) }
    var table: String { "\(database.schema).reporter_reveal_requests" }

    func ask(reportID: String, reason: String, by person: OperatorIdentity) async throws -> Request {
        let approval = try refused { try TwoPersonApproval(requester: person.user, reason: reason) }
        return try await database.transaction { connection in
            guard try await reports.exists(reportID, on: connection) else { throw HTTPError(.notFound, message: "no report \(reportID)") }
            let rows = try await connection.query("""
                INSERT INTO \(unescaped: table) (report_id, requested_by, reason, state)
                VALUES (\(reportID), \(person.user), \(approval.reason), \(approval.state.rawValue)) RETURNING id
                """, logger: database.logger)
            var id: Int64 = 0
            for try await value in rows.decode(Int64.self) { id = value }
            try await audit.append(by: person, "reporter.reveal.requested", subject: "report:\(reportID)",
                                   details: ["request": "\(id)", "reason": approval.reason], on: connection)
            return Request(requestId: id, reportId: reportID, requestedBy: person.user, approvedBy: nil, state: approval.state.rawValue)
        }
    }

    func approve(_ id: Int64, by person: OperatorIdentity) async throws -> Request {
        try await step(id, by: person, action: "reporter.reveal.approved") { try $0.approve(by: person.user) }.request
    }

    /// The identity, to the person who asked, once approved; the opening is logged and audited.
    func reveal(_ id: Int64, by person: OperatorIdentity) async throws -> Reports.Reporter {
        try await step(id, by: person, action: "reporter.revealed") { try $0.carryOut(by: person.user) }.reporter!
    }

    private func step(_ id: Int64, by person: OperatorIdentity, action: String,
                      _ change: @escaping @Sendable (inout TwoPersonApproval) throws -> Void) async throws -> (request: Request, reporter: Reports.Reporter?) {
        try await database.transaction { connection in
            let rows = try await connection.query("""
                SELECT report_id, requested_by, reason, approved_by, state FROM \(unescaped: table) WHERE id = \(id) FOR UPDATE
                """, logger: database.logger)
            var found: (String, TwoPersonApproval)?
            for try await (report, requester, reason, approver, state) in rows.decode((String, String, String, String?, String).self) {
                found = (report, TwoPersonApproval(requester: requester, reason: reason, approver: approver,
                                                   state: TwoPersonApproval.State(rawValue: state) ?? .carriedOut))
            }
            guard let found else { throw HTTPError(.notFound, message: "no reveal request \(id)") }
            // An unreadable stored state counts as used up: it never opens anything.
            let reportID = found.0
            var approval = found.1
            try refused { try change(&approval) }
            try await connection.query("""
                UPDATE \(unescaped: table) SET state = \(approval.state.rawValue), approved_by = \(approval.approver), changed_at = now() WHERE id = \(id)
                """, logger: database.logger)
            try await audit.append(by: person, action, subject: "report:\(reportID)", details: ["request": "\(id)"], on: connection)
            let reporter = approval.state == .carriedOut
                ? try await reports.openReporter(reportID: reportID, by: person.user, reason: approval.reason, on: connection) : nil
            return (Request(requestId: id, reportId: reportID, requestedBy: approval.requester, approvedBy: approval.approver,
                            state: approval.state.rawValue), reporter)
        }
    }

    /// A broken two-person rule is the caller's mistake: 409 naming the rule.
    private func refused<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let refusal as TwoPersonApproval.Refusal {
            if case .reasonTooShort = refusal { throw HTTPError(.badRequest, message: refusal.description) }
            throw HTTPError(.conflict, message: refusal.description)
        }
    }
}
