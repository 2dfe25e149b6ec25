import CreditRules
import Events
import HISContract
import Logging
import PostgresNIO

/// Why a reassessment happens: the cause names the change ids (stable, so a retried request or
/// event yields the same ids) and carries the case, if any.
struct Cause: Sendable {
    var id: String
    var caseId: String?
    var region: String?
}

/// The grade and list membership of graded subjects (institutions, employers, pharma companies),
/// recomputed from the file after each entry with the versioned models of CreditRules.
struct StandingStore: Sendable {
    let schema: String
    let model: GradeModel = .default
    let lists: ListPolicy = .default
    let consequences: ConsequencePolicy = .default

    struct Current: Sendable {
        var grade: CreditGrade
        var membership: ListMembership
    }

    /// Regrades the subject on `date` and re-evaluates its lists; returns the changes to publish.
    func reassess(_ file: CreditFile, on date: CivilDate, cause: Cause, connection: PostgresConnection,
                  logger: Logger) async throws -> [CreditChanged] {
        guard file.subject.kind.isGraded else { return [] }
        let view = file.view(on: date)
        let result = model.grade(view)
        let previous = try await current(file.subject, on: connection, logger: logger)
            ?? Current(grade: model.grade(CreditFileView(entries: [], on: date)).grade, membership: ListMembership())
        let decision = lists.evaluate(previous: previous.membership, view: view, grade: result)
        try await save(file.subject, result: result, membership: decision.membership, region: cause.region, on: connection, logger: logger)
        let change = ChangeFactory(subject: file.subject, cause: cause, date: date)
        var changes: [CreditChanged] = []
        if result.grade != previous.grade {
            var graded = change.make("grade", before: previous.grade.rawValue, after: result.grade.rawValue, reasons: result.reasons)
            // What the grade carries travels with it, so intake and smart-review enforce it without the policy.
            graded.measures = consequences[result.grade].settlementMeasures.map(\.rawValue)
            changes.append(graded)
        }
        var membership = previous.membership
        for listChange in decision.changes {
            let before = Self.listName(membership)
            membership = Self.applying(listChange, to: membership, from: decision.membership)
            changes.append(change.make("list", detail: "\(listChange)", before: before, after: Self.listName(membership),
                                       reasons: decision.reasons,
                                       until: listChange == .enteredBlackList ? decision.membership.black?.earliestExit : nil))
        }
        return changes
    }

    func current(_ subject: CreditSubject, on connection: PostgresConnection, logger: Logger) async throws -> Current? {
        let rows = try await connection.query("""
            SELECT grade, membership::text FROM \(unescaped: schema).standing
            WHERE subject_kind = \(subject.kind.rawValue) AND subject_id = \(subject.id)
            """, logger: logger)
        for try await (grade, membership) in rows.decode((String, String).self) {
            return Current(grade: CreditGrade(rawValue: grade) ?? .A, membership: try Stored.decode(ListMembership.self, membership))
        }
        return nil
    }

    private func save(_ subject: CreditSubject, result: GradeResult, membership: ListMembership, region: String?,
                      on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO \(unescaped: schema).standing (subject_kind, subject_id, region, grade, score, model_version, red_since,
                                                         black_since, black_until, membership)
            VALUES (\(subject.kind.rawValue), \(subject.id), \(region), \(result.grade.rawValue), \(result.score), \(result.modelVersion),
                    \(membership.redSince?.description), \(membership.black?.since.description), \(membership.black?.earliestExit.description),
                    \(try Stored.json(membership))::jsonb)
            ON CONFLICT (subject_kind, subject_id) DO UPDATE SET region = COALESCE(EXCLUDED.region, standing.region),
              grade = EXCLUDED.grade, score = EXCLUDED.score, model_version = EXCLUDED.model_version, red_since = EXCLUDED.red_since,
              black_since = EXCLUDED.black_since, black_until = EXCLUDED.black_until, membership = EXCLUDED.membership, updated_at = now()
            """, logger: logger)
    }

    /// Membership after one list change, so a decision with two changes (left red, entered black)
    /// publishes two events that each read from the state before them.
    private static func applying(_ change: ListChange, to membership: ListMembership, from final: ListMembership) -> ListMembership {
        var result = membership
        switch change {
        case .enteredRedList: result.redSince = final.redSince
        case .leftRedList: result.redSince = nil
        case .enteredBlackList: result.black = final.black
        case .leftBlackList: result.black = nil
        }
        return result
    }

    static func listName(_ membership: ListMembership) -> String {
        membership.black != nil ? "black" : membership.redSince != nil ? "red" : "none"
    }
}

/// Builds the `CreditChanged` of one subject and cause, with a change id that is the same on a retry.
struct ChangeFactory {
    let subject: CreditSubject
    let cause: Cause
    let date: CivilDate

    func make(_ change: String, detail: String? = nil, before: String?, after: String, reasons: [String],
              from: CivilDate? = nil, until: CivilDate? = nil) -> CreditChanged {
        let suffix = detail.map { "\(change)-\($0)" } ?? change
        return CreditChanged(changeId: "\(cause.id)/\(subject.kind.wireName)/\(subject.id)/\(suffix)", subjectKind: subject.kind.wireName,
                             subjectId: subject.id, change: change, before: before, after: after, reasons: reasons,
                             caseId: cause.caseId, region: cause.region, effectiveFrom: (from ?? date).description,
                             effectiveUntil: until?.description)
    }
}
