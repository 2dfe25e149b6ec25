import Foundation
import HISContract

/// Whether each encounter of a settlement fits in one event. intake publishes every settled
/// encounter as a `claims.accepted` event carrying the patient record with that encounter; an
/// event larger than the broker's `message.max.bytes` can never be published, so the settlement is
/// refused at the door, naming why, instead of being accepted and stuck in the outbox.
struct EventSize {
    let limit: Int
    /// What the event carries beside the record (claim id, version, supersedes, msgid, the time,
    /// CloudEvent headers, the key, Kafka's record overhead), with room to spare.
    static let envelopeAllowance = 4_096

    func issues(of patient: Patient, path: String) -> [ValidationIssue] {
        let encoder = HISJSON.encoder
        var issues: [ValidationIssue] = []
        for (index, encounter) in patient.fsiEncounterDtos.enumerated() {
            var single = patient
            single.fsiEncounterDtos = [encounter]
            guard let record = try? encoder.encode(single) else { continue }
            let size = record.count + Self.envelopeAllowance
            if size > limit {
                issues.append(.init("\(path).fsi_encounter_dtos[\(index)]",
                                    "its claims.accepted event would be about \(size) bytes, more than the broker accepts "
                                    + "(message.max.bytes \(limit)); send fewer or shorter lines per settlement"))
            }
        }
        return issues
    }
}
