import CreditRules
import Events
import HISContract

/// How credit reads a decided case: its gravity in the file (`CaseDecided.gravity`), the practitioner points and whether
/// an insured person's direct settlement is suspended. Pure, so the mapping is tested on its own.
enum OutcomeReading {
    static func entryID(_ caseId: String) -> String { "case:\(caseId)" }

    static func violation(_ decided: CaseDecided) -> Violation {
        Violation(caseId: decided.caseId, gravity: decided.gravity, amount: decided.amount,
                  summary: "\(decided.patterns.joined(separator: ",")) \(decided.handling.joined(separator: ","))")
    }

    static func handling(_ decided: CaseDecided) -> CaseHandling {
        CaseHandling(article: Order735Article(rawValue: decided.article), fined: decided.fine > 0, fraud: decided.fraud,
                     aggravated: aggravated(decided))
    }

    /// The points the case proposed for this practitioner; else the national schedule for the conduct
    /// held against them (capped per case); else, for events without conduct, the band's value for the handling.
    static func deduction(_ decided: CaseDecided, practitioner party: CaseDecided.Party, on date: CivilDate,
                          schedule: PointSchedule = .national) -> PointDeduction {
        let id = "\(decided.caseId)/\(party.id)"
        let reason = "案件 \(decided.caseId) 第\(decided.article)条 \(decided.legalBasis)"
            + (party.conduct.map { $0.isEmpty ? "" : " 行为：\($0.joined(separator: ","))" } ?? "")
        let band = PointBand.band(for: handling(decided))
        if let proposed = decided.practitionerPoints[party.id] {
            return PointDeduction(id: id, decidedOn: date, points: proposed, caseId: decided.caseId, band: band, reason: reason)
        }
        if let conduct = party.conduct, let points = schedule.points(for: conduct) {
            return PointDeduction(id: id, decidedOn: date, points: points, caseId: decided.caseId, band: band, reason: reason)
        }
        return PointDeduction(id: id, decidedOn: date, caseId: decided.caseId, handling: handling(decided), reason: reason)
    }

    /// Whether the institution answers for the case in its own file. A case that names an offender
    /// (parties chosen by the supervisor) concerns the institution only when it names it: a card lent by
    /// an insured person (art. 41) is not the institution's violation, let alone its fraud. Earlier events
    /// name no offender and always concerned the institution.
    static func concernsInstitution(_ decided: CaseDecided) -> Bool {
        !decided.parties.contains { $0.role == "offender" } || decided.parties.contains { $0.id == decided.institutionId }
    }

    /// Art. 41 (an insured person's fraud) or an explicit suspension with a period.
    static func suspendsDirectSettlement(_ decided: CaseDecided) -> Bool {
        decided.suspensionMonths != nil && (decided.article == 41 || decided.handling.contains("suspension"))
    }

    /// A suspension with a period under art. 38-40 suspends the institution's service agreement (暂停医保协议).
    static func suspendsAgreement(_ decided: CaseDecided) -> Bool {
        AgreementSuspension.isDecided(handling: decided.handling, suspensionMonths: decided.suspensionMonths, article: decided.article)
    }

    private static func aggravated(_ decided: CaseDecided) -> Bool {
        decided.handling.contains("suspension") || decided.handling.contains("termination")
    }
}
