import Events
import Foundation
import Logging
import Persistence
import PostgresNIO
import ReferenceData
import ReviewWorkflow

/// Takes `reports.received` into the workbench as a case source (举报线索), once: the processor's inbox
/// skips a redelivered event, and the primary key a report sent again under another event id.
struct ReportReceiver: Sendable {
    struct Malformed: PermanentEventError, CustomStringConvertible { let description: String }

    let database: Database
    let reference: ReferenceData

    func apply(_ event: CloudEvent, on connection: PostgresConnection, logger: Logger) async throws {
        let report: ReportReceived
        do { report = try event.decode(ReportReceived.self) } catch {
            throw Malformed(description: "reports.received event \(event.id) cannot be read: \(error)")
        }
        let region = try self.region(of: report)
        try await ReportStore(database: database).insert(report, region: region, on: connection)
    }

    /// The region whose reviewers handle the report: the institution's, a practitioner's institution's,
    /// or an insured person's home region (参保地). intake accepts only known subjects, so an unknown one
    /// means the reference data differ; the event is kept in the dead letters rather than guessed.
    func region(of report: ReportReceived) throws -> String {
        let kb = try reference.knowledgeBase
        let region: String? = switch report.subjectType {
        case "institution": kb.institutions[report.subjectId]?.admdvs
        case "practitioner": kb.practitioners[report.subjectId].flatMap { kb.institutions[$0.institutionCode]?.admdvs }
        case "person": kb.persons[report.subjectId]?.insuredRegion
        default: nil
        }
        guard let region, !region.isEmpty else {
            throw Malformed(description: "report \(report.reportId): no region known for \(report.subjectType) \(report.subjectId)")
        }
        return region
    }
}
