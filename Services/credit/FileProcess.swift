import AuditTrail
import CreditRules
import Events
import Foundation
import HISContract
import Logging
import OperatorAccess
import Persistence
import PostgresNIO

/// The bureau's side of a credit file: facts it enters (commitments, overdue contributions,
/// self-correction), objections, rectification and refunds, and credit repair. Each call is one
/// transaction: the entry, the regrade or points reversal, and the changes it publishes.
struct FileProcess: Sendable {
    let database: Database
    let files: FileStore
    let standing: StandingStore
    let points: PointsStore
    let suspensions: SuspensionStore
    let changes: ChangeLog
    let clock: CreditClock

    /// What an entry means beyond the grade, in the same transaction.
    typealias Effects = @Sendable (CreditEntry, Cause, PostgresConnection) async throws -> [CreditChanged]

    /// What one call did: the entry recorded (nil when it was a retry) and the changes published.
    struct Outcome: Encodable, Sendable {
        var entry: CreditEntry?
        var changes: [CreditChanged]
    }

    /// Appends `event` to the subject's file as entry `id`, then regrades it; `effects` adds what
    /// the entry means beyond the grade (points reversal, lifted suspension).
    func record(_ event: CreditEvent, id: String, subject: CreditSubject, by person: OperatorIdentity, provenance: Provenance,
                traceparent: String?, effects: Effects? = nil) async throws -> Outcome {
        let logger = database.logger
        return try await database.transaction { connection in
            try await files.lock(subject, on: connection, logger: logger)
            var file = try await files.load(subject, on: connection, logger: logger)
            if let target = event.target, file.view(on: .distantFuture).fact(target) == nil {
                throw notFound("\(subject.kind.wireName) \(subject.id) has no entry \(target)")
            }
            guard let entry = try await files.append(event, id: id, on: clock.today(), by: person.user, provenance: provenance,
                                                     to: &file, connection: connection, logger: logger) else {
                return Outcome(entry: nil, changes: [])
            }
            try await AuditStore(database: database).append(by: person, "credit.entry.made", subject: "\(subject.kind.wireName):\(subject.id)",
                                                            details: ["entry": entry.id], on: connection)
            let cause = Cause(id: "entry:\(subject.kind.wireName)/\(subject.id)/\(id)", caseId: nil, region: nil)
            var published = try await standing.reassess(file, on: entry.recordedOn, cause: cause, connection: connection, logger: logger)
            published += try await effects?(entry, cause, connection) ?? []
            try await changes.publish(published, traceparent: traceparent, on: connection, logger: logger)
            return Outcome(entry: entry, changes: published)
        }
    }

    /// An upheld objection against a case entry also reverses the practitioner's points or lifts
    /// the insured person's suspension from the decision date.
    func objectionEffects(subject: CreditSubject, target: String, reason: String) -> Effects {
        { [points, suspensions, logger = database.logger] entry, cause, connection in
            guard case .objectionUpheld = entry.event, target.hasPrefix("case:") else { return [] }
            let caseId = String(target.dropFirst("case:".count))
            var cause = cause
            cause.caseId = caseId
            switch subject.kind {
            case .practitioner:
                return try await points.reverse(deductionId: "\(caseId)/\(subject.id)", practitioner: subject.id, on: entry.recordedOn,
                                                reason: reason, cause: cause, connection: connection, logger: logger)
            case .insuredPerson:
                return try await suspensions.lift(subject.id, caseId: caseId, on: entry.recordedOn, reason: reason, cause: cause,
                                                  connection: connection, logger: logger)
            default:
                return []
            }
        }
    }
}

extension CivilDate {
    /// Later than any date a file holds: "the file as it stands now".
    static let distantFuture = CivilDate(year: 9999, month: 12, day: 31)!
}
