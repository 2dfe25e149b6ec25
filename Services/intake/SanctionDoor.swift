import Events
import HISContract
import Persistence
import ReferenceData
import RuleEngine
import SettlementValidation

/// Credit's sanctions at the door. The practitioner's suspension is a finding of the built-in
/// sanction rule, answered as a warning by 3101 and 3102 alike; an insured person whose direct
/// settlement is suspended is refused direct settlement at 3102 (the whole call, as every refusal:
/// the hospital settles that person by hand and sends the others again), naming the decision, and
/// warned at 3101.
extension DefaultHospitalGateway {
    func sanctionRefusals(_ request: HISRequest<ReviewInput>) throws -> [ValidationIssue] {
        let register = try reference.engine.sanctions
        guard request.infno == "3102", !register.isEmpty else { return [] }
        var issues: [ValidationIssue] = []
        for (p, patient) in request.input.data.patientDtos.enumerated() {
            for (e, encounter) in patient.fsiEncounterDtos.enumerated() {
                guard let day = CivilDate(String(encounter.dscgDate.prefix(10))),
                      let sanction = register.inForce(.directSettlementSuspended, on: SanctionKey(.insuredPerson, patient.patnId), date: day)
                else { continue }
                issues.append(.init("input.data.patient_dtos[\(p)].fsi_encounter_dtos[\(e)]",
                                    "参保人\(patient.patnId)的医疗费用联网结算已暂停，\(sanction.described)：请全额自付后凭票据手工报销"
                                        + " / direct settlement of \(patient.patnId) is suspended by decision \(sanction.decision) from \(sanction.from)"
                                        + (sanction.until.map { " until \($0)" } ?? "") + ": the person pays in full and claims reimbursement later"))
            }
        }
        return issues
    }
}

extension IntakeAssembly {
    var sanctionFollower: SanctionFollower { SanctionFollower(database: runtime.database, reference: reference) }

    /// Follows credit's sanctions (`credit.changes`) into the rule engine of the real-time answers.
    func sanctionsProcessor(topics: [String] = [Topic.creditChanges]) throws -> EventProcessor {
        let follower = sanctionFollower
        return try runtime.makeProcessor(name: "sanctions", topics: topics) { event, connection, _ in
            try await follower.apply(event, on: connection)
        }
    }
}
