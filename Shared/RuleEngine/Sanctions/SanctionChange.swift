import HISContract

/// One `credit.changes` event as the register reads it: what it ends, then what it imposes, from
/// its effective date.
public struct SanctionChange: Sendable, Codable, Equatable {
    public enum Lift: String, Sendable, Codable {
        /// Ends every sanction of the subject with the change's basis (a practitioner's new status, a new grade).
        case all
        /// Ends only the sanctions of the change's decision (one case's suspension of direct settlement).
        case decision
    }

    /// credit's change id: the same change received twice counts once.
    public var id: String
    public var subject: SanctionKey
    public var basis: String
    public var decision: String
    public var date: CivilDate
    /// End of what it imposes (expiry), if the decision set one.
    public var until: CivilDate?
    public var lifts: Lift?
    public var imposes: [SanctionMeasure]

    public init(id: String, subject: SanctionKey, basis: String, decision: String, date: CivilDate, until: CivilDate?,
                lifts: Lift?, imposes: [SanctionMeasure]) {
        self.id = id
        self.subject = subject
        self.basis = basis
        self.decision = decision
        self.date = date
        self.until = until
        self.lifts = lifts
        self.imposes = imposes
    }

    /// The sanction effect of a credit change, nil when it has none (points, lists, other subjects):
    /// - practitioner `suspension` → `suspended`/`terminated` imposes, `active` lifts (objection upheld);
    /// - insured person `suspension` → `suspended` imposes for its case, `active` lifts that case's;
    /// - institution `grade` → the grade's settlement measures (`measures`, as credit's consequence
    ///   policy lists them) replace the previous grade's; `agreement` → `suspended` imposes full review,
    ///   anything else lifts it.
    /// A date that does not parse makes it nil too: the caller refuses such an event as malformed.
    public static func reading(changeId: String, subjectKind: String, subjectId: String, change: String, after: String,
                               caseId: String?, effectiveFrom: String, effectiveUntil: String?,
                               measures: [String]?) -> SanctionChange? {
        guard let kind = SanctionSubjectKind(rawValue: subjectKind), let date = CivilDate(effectiveFrom) else { return nil }
        let until = effectiveUntil.flatMap { CivilDate($0) }
        let decision = caseId ?? changeId
        func make(_ lifts: Lift?, _ imposes: [SanctionMeasure]) -> SanctionChange {
            SanctionChange(id: changeId, subject: SanctionKey(kind, subjectId), basis: change, decision: decision, date: date,
                           until: imposes.isEmpty ? nil : until, lifts: lifts, imposes: imposes)
        }
        switch (kind, change) {
        case (.practitioner, "suspension"):
            return make(.all, ["suspended", "terminated"].contains(after) ? [.paymentQualificationSuspended] : [])
        case (.insuredPerson, "suspension"):
            return after == "suspended" ? make(nil, [.directSettlementSuspended]) : make(caseId == nil ? .all : .decision, [])
        case (.institution, "grade"):
            return make(.all, (measures ?? []).compactMap(SanctionMeasure.init(rawValue:)))
        case (.institution, "agreement"):
            return make(.all, after == "suspended" ? [.fullReview] : [])
        default:
            return nil
        }
    }
}
