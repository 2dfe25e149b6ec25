import CreditRules
import Events
import Foundation
import HISContract
import Persistence

/// What the API answers about a subject: the file (every entry with its provenance), each fact as
/// it stands, the grade with its reasons and consequences, lists, the change history, and the
/// practitioner's points, the insured person's suspensions or the institution's agreement suspensions.
struct FileReports: Sendable {
    let database: Database
    let files: FileStore
    let standing: StandingStore
    let points: PointsStore
    let suspensions: SuspensionStore
    let agreements: AgreementStore
    let changes: ChangeLog
    let clock: CreditClock

    struct Entry: Encodable {
        var entry: CreditEntry
        var provenance: Provenance?
    }

    struct Standing: Encodable {
        var grade: GradeResult
        var consequences: GradeConsequences
        var consequencePolicy: String
        var lists: ListMembership
    }

    struct FileReport: Encodable {
        var subjectKind: String
        var subjectId: String
        var date: CivilDate
        var entries: [Entry]
        var facts: [ResolvedFact]
        var standing: Standing?
        var changes: [CreditChanged]
        var points: PointsState?
        var suspensions: [SuspensionStore.Row]?
        /// 暂停医保协议 of an institution, each with its period and the day it ended.
        var agreementSuspensions: [SuspensionStore.Row]?
    }

    func file(_ subject: CreditSubject) async throws -> FileReport {
        let logger = database.logger, today = clock.today()
        return try await database.transaction { connection in
            let file = try await files.load(subject, on: connection, logger: logger)
            let provenance = try await files.provenance(of: subject, on: connection, logger: logger)
            var report = FileReport(subjectKind: subject.kind.wireName, subjectId: subject.id, date: today,
                                    entries: file.entries.map { Entry(entry: $0, provenance: provenance[$0.id]) },
                                    facts: file.view(on: .distantFuture).facts,
                                    changes: try await changes.history(kind: subject.kind.wireName, id: subject.id, on: connection, logger: logger))
            switch subject.kind {
            case .practitioner:
                report.points = try await points.ledger(subject.id, on: connection, logger: logger).state(on: today)
            case .insuredPerson:
                report.suspensions = try await suspensions.list(subject.id, on: connection, logger: logger)
            default:
                if subject.kind == .institution {
                    report.agreementSuspensions = try await agreements.list(subject.id, on: connection, logger: logger)
                }
                let grade = standing.model.grade(file.view(on: today))
                let lists = try await standing.current(subject, on: connection, logger: logger)?.membership ?? ListMembership()
                let policy = ConsequencePolicy.default
                report.standing = Standing(grade: grade, consequences: policy[grade.grade], consequencePolicy: policy.version, lists: lists)
            }
            return report
        }
    }
}
