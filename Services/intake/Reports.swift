import Crypto
import Events
import Foundation
import Hummingbird
import Persistence
import PostgresNIO
import ReferenceData
import ServiceKit

/// Whistle-blower reports (举报投诉). The reporter's identity and contact are sealed with
/// AES-GCM before they reach the database and never travel on Kafka; the reporter follows the
/// case with a tracking number; an operator can open the identity only by giving a reason,
/// and every such opening is logged.
struct Reports: Sendable {
    let database: Database
    let reference: ReferenceData
    /// The AES-256-GCM key (kept as bytes: `SymmetricKey` is not Sendable).
    let keyData: Data
    private var key: SymmetricKey { SymmetricKey(data: keyData) }

    struct Submission: Decodable, Sendable {
        var subjectType: String
        var subjectId: String
        var content: String
        var evidence: [String]?
        var reporter: Reporter
    }

    struct Reporter: Codable, Sendable {
        var name: String
        var idNumber: String?
        var phone: String?
        var contact: String?
    }

    struct Receipt: Encodable, Sendable {
        var trackingNo: String
        var status: String
    }

    func submit(_ submission: Submission, traceparent: String) async throws -> Receipt {
        try validate(submission)
        let reportID = UUID().uuidString.lowercased(), tracking = Self.trackingNumber()
        let sealed = try AES.GCM.seal(try JSONEncoder().encode(submission.reporter), using: key).combined!
        let event = ReportReceived(reportId: reportID, subjectType: submission.subjectType, subjectId: submission.subjectId,
                                   content: submission.content, evidence: submission.evidence ?? [], receivedAt: Date())
        let evidence = String(decoding: try JSONEncoder().encode(event.evidence), as: UTF8.self)
        try await database.transaction { connection in
            try await connection.query("""
                INSERT INTO \(unescaped: database.schema).reports (report_id, tracking_no, subject_type, subject_id, content, evidence, reporter_sealed)
                VALUES (\(reportID), \(tracking), \(event.subjectType), \(event.subjectId), \(event.content), \(evidence)::jsonb, \(ByteBuffer(bytes: sealed)))
                """, logger: database.logger)
            try await Outbox.enqueue(try CloudEvent(id: event.eventID, source: "/intake", type: EventType.reportReceived,
                                                    traceparent: traceparent, encoding: event),
                                     topic: Topic.reportsReceived, key: reportID, schema: database.schema, on: connection, logger: database.logger)
        }
        return Receipt(trackingNo: tracking, status: "received")
    }

    /// What the reporter sees: the progress the workbench reported (reports.progress) and the reward, nothing of the file.
    func status(tracking: String) async throws -> [String: String] {
        let rows = try await database.query("""
            SELECT status, received_at::text, progress_at::text, reward_amount::text, reward_paid
            FROM \(unescaped: database.schema).reports WHERE tracking_no = \(tracking)
            """, logger: database.logger)
        for try await (status, received, updated, reward, paid) in rows.decode((String, String, String?, String?, Bool).self) {
            var answer = ["tracking_no": tracking, "status": status, "received_at": received, "reward_paid": "\(paid)"]
            answer["updated_at"] = updated
            answer["reward_amount"] = reward
            return answer
        }
        throw HTTPError(.notFound, message: "no report with tracking number \(tracking)")
    }

    /// The opening of a reporter's identity once a second person approved it (see `ReporterReveal`): the access and its reason are logged.
    /// Only `ReporterReveal` calls this, inside the transaction that records the approved opening.
    func openReporter(reportID: String, by operatorName: String, reason: String, on connection: PostgresConnection) async throws -> Reporter {
        let rows = try await connection.query(
            "SELECT reporter_sealed FROM \(unescaped: database.schema).reports WHERE report_id = \(reportID)", logger: database.logger)
        var sealed: ByteBuffer?
        for try await value in rows.decode(ByteBuffer.self) { sealed = value }
        guard let sealed else { throw HTTPError(.notFound, message: "no report \(reportID)") }
        try await connection.query("""
            INSERT INTO \(unescaped: database.schema).reporter_access_log (report_id, accessed_by, reason) VALUES (\(reportID), \(operatorName), \(reason))
            """, logger: database.logger)
        let box = try AES.GCM.SealedBox(combined: Data(buffer: sealed))
        return try JSONDecoder().decode(Reporter.self, from: try AES.GCM.open(box, using: key))
    }

    func exists(_ reportID: String, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query("SELECT 1 FROM \(unescaped: database.schema).reports WHERE report_id = \(reportID)", logger: database.logger)
        for try await _ in rows { return true }
        return false
    }

    private func validate(_ submission: Submission) throws {
        let kb = try reference.knowledgeBase
        let known: Bool
        switch submission.subjectType {
        case "institution": known = kb.institutions[submission.subjectId] != nil
        case "practitioner": known = kb.practitioners[submission.subjectId] != nil
        case "person": known = kb.persons[submission.subjectId] != nil
        default: throw HTTPError(.badRequest, message: "subject_type must be institution, practitioner or person")
        }
        guard known else { throw HTTPError(.badRequest, message: "subject_id: \(submission.subjectId) is not a known \(submission.subjectType)") }
        guard !submission.content.trimmingCharacters(in: .whitespaces).isEmpty else { throw HTTPError(.badRequest, message: "content: is required") }
        guard !submission.reporter.name.isEmpty else { throw HTTPError(.badRequest, message: "reporter.name: is required") }
    }

    /// 16 characters from an alphabet without look-alikes: what a reporter writes down.
    private static func trackingNumber() -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        return "JB" + String((0..<14).map { _ in alphabet.randomElement()! })
    }
}
