import Foundation
import HISContract

/// Settlements pushed as a hospital's HIS does: 3102 calls of consecutive settlements of one
/// institution, each institution with the secret the bureau issued it.
public struct HospitalPush: Sendable {
    public struct Call: Sendable {
        public var institution: String
        public var request: HISRequest<ReviewInput>
    }

    public let platform: Platform
    /// Tells the message numbers of one push apart from another's against the same intake.
    public var msgidDay: String

    public init(platform: Platform, msgidDay: String = "20261127") {
        self.platform = platform
        self.msgidDay = msgidDay
    }

    /// Pushes every call (a refused call stops the push, naming intake's reason); returns the
    /// findings of the real-time answers per pattern. `progress` hears how many settlements each call carried.
    public func push(_ patients: [Patient], perCall: Int = 20, progress: (Int) -> Void = { _ in }) async throws -> [String: Int] {
        let calls = calls(patients, perCall: perCall)
        var secrets: [String: String] = [:], answered: [String: Int] = [:]
        for institution in Set(calls.map(\.institution)).sorted() { secrets[institution] = try await platform.issueCredentials(institution) }
        for call in calls {
            let answer = try await platform.his(try HISJSON.encoder.encode(call.request), institution: call.institution,
                                                secret: secrets[call.institution] ?? "")
            guard answer["infcode"] as? Int == 0 else { throw API.Failure(description: "refused: \(answer["err_msg"] ?? "")") }
            for result in ((answer["output"] as? [String: Any])?["result"] as? [[String: Any]]) ?? [] {
                answered[result["vola_bhvr_type"] as? String ?? "?", default: 0] += 1
            }
            progress(call.request.input.data.patientDtos.count)
        }
        return answered
    }

    /// Consecutive settlements of one institution share a call, in settlement order; a call whose first
    /// settlement is inpatient (med_mdtrt_type 2) is sent as trigger scenario 8, any other as 6.
    public func calls(_ patients: [Patient], perCall: Int) -> [Call] {
        var calls: [Call] = []
        for patient in patients {
            guard let encounter = patient.fsiEncounterDtos.first else { continue }
            let institution = encounter.medinsId, scenario = encounter.medMdtrtType == "2" ? 8 : 6
            if let last = calls.last, last.institution == institution, last.request.input.data.patientDtos.count < perCall {
                calls[calls.count - 1].request.input.data.patientDtos.append(patient)
                continue
            }
            let sequence = calls.count + 1
            let msgid = institution + msgidDay + String(format: "%06d", sequence / 10_000) + String(format: "%04d", sequence % 10_000)
            calls.append(Call(institution: institution, request: HISRequest(
                infno: "3102", msgid: msgid, fixmedinsCode: institution,
                input: ReviewInput(data: ReviewRequest(trigScen: scenario, patientDtos: [patient])))))
        }
        return calls
    }
}
