import CreditRules
import Events
import Foundation
import HISContract
import Logging
import Persistence
import PostgresNIO
import ReferenceData

/// A `review.outcomes` record that is not a decided case credit can read: dead-lettered.
struct MalformedOutcome: PermanentEventError, CustomStringConvertible {
    let description: String
}

/// Applies a decided case (`review.outcomes`) to the credit files of everyone it names: the
/// institution when the case concerns it (violation, regrade, lists), the named practitioners (points), insured persons
/// (direct-settlement suspension when the handling says so) and any employer or pharma company; a suspension
/// decided against the institution suspends its service agreement (`AgreementStore`).
/// Runs inside the EventProcessor's transaction, so a redelivered case changes nothing.
struct CaseOutcomes: Sendable {
    let files: FileStore
    let standing: StandingStore
    let points: PointsStore
    let suspensions: SuspensionStore
    let agreements: AgreementStore
    let changes: ChangeLog
    let reference: ReferenceData

    func apply(_ event: CloudEvent, on connection: PostgresConnection, logger: Logger) async throws {
        let decided: CaseDecided
        do {
            decided = try event.decode(CaseDecided.self)
        } catch {
            throw MalformedOutcome(description: "review.outcomes \(event.id) is not a CaseDecided: \(error)")
        }
        let date = CreditCalendar.date(decided.decidedAt)
        try await recordCase(decided, on: date, connection: connection, logger: logger)
        let cause = Cause(id: event.id, caseId: decided.caseId, region: decided.careRegion)
        var published = OutcomeReading.concernsInstitution(decided)
            ? try await institution(decided, date: date, cause: cause, connection: connection, logger: logger) : []
        for party in decided.parties where party.id != decided.institutionId {
            published += try await self.party(party, of: decided, date: date, cause: cause, connection: connection, logger: logger)
        }
        try await changes.publish(published, traceparent: event.traceparent, on: connection, logger: logger)
    }

    /// Kept for the region risk figures (cases, findings and amounts per region and period).
    private func recordCase(_ decided: CaseDecided, on date: CivilDate, connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO \(unescaped: files.schema).cases (case_id, institution_id, care_region, amount, findings, decided_on, payload)
            VALUES (\(decided.caseId), \(decided.institutionId), \(decided.careRegion), \("\(decided.amount)")::numeric,
                    \(decided.findingIds.count), \(date.description), \(try Stored.json(decided))::jsonb)
            ON CONFLICT (case_id) DO NOTHING
            """, logger: logger)
    }

    private func institution(_ decided: CaseDecided, date: CivilDate, cause: Cause, connection: PostgresConnection,
                             logger: Logger) async throws -> [CreditChanged] {
        let subject = CreditSubject(kind: .institution, id: decided.institutionId)
        let region = (try? reference.knowledgeBase.institutions[decided.institutionId]?.admdvs) ?? decided.careRegion
        var cause = cause
        cause.region = region
        var changes = try await recordViolation(decided, for: subject, date: date, cause: cause, connection: connection, logger: logger)
        if OutcomeReading.suspendsAgreement(decided) {
            changes += try await agreements.suspend(decided.institutionId, decided: decided, from: date, cause: cause,
                                                    connection: connection, logger: logger)
        }
        return changes
    }

    private func party(_ party: CaseDecided.Party, of decided: CaseDecided, date: CivilDate, cause: Cause,
                       connection: PostgresConnection, logger: Logger) async throws -> [CreditChanged] {
        guard let kind = CreditSubject.Kind(wireName: party.kind) else { return [] } // e.g. public officials: not credit subjects
        let subject = CreditSubject(kind: kind, id: party.id)
        var changes = try await recordViolation(decided, for: subject, date: date, cause: cause, connection: connection, logger: logger)
        switch kind {
        case .practitioner:
            changes += try await points.deduct(OutcomeReading.deduction(decided, practitioner: party, on: date), practitioner: party.id,
                                               cause: cause, on: connection, logger: logger)
        case .insuredPerson where OutcomeReading.suspendsDirectSettlement(decided):
            var cause = cause
            cause.region = party.insuredRegion
            changes += try await suspensions.suspend(party.id, decided: decided, from: date, cause: cause, connection: connection, logger: logger)
        default:
            break
        }
        return changes
    }

    /// The case as a violation entry (`case:<id>`) of the subject's file, then its regrade.
    private func recordViolation(_ decided: CaseDecided, for subject: CreditSubject, date: CivilDate, cause: Cause,
                                 connection: PostgresConnection, logger: Logger) async throws -> [CreditChanged] {
        try await files.lock(subject, on: connection, logger: logger)
        var file = try await files.load(subject, on: connection, logger: logger)
        let provenance = Provenance(source: Topic.reviewOutcomes, rule: "《条例》第\(decided.article)条 \(decided.legalBasis)",
                                    evidence: decided.claimIds.map { "claim:\($0)" } + decided.findingIds.map { "finding:\($0)" })
        guard let entry = try await files.append(.fact(.violation(OutcomeReading.violation(decided))), id: OutcomeReading.entryID(decided.caseId),
                                                 on: date, by: decided.legalReviewer ?? "review.outcomes", provenance: provenance,
                                                 to: &file, connection: connection, logger: logger) else { return [] }
        return try await standing.reassess(file, on: entry.recordedOn, cause: cause, connection: connection, logger: logger)
    }
}
