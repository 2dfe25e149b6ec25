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

    /// `receivedBytes`: the size of what the record was read from, when known (a bulk line, a call's body).
    func issues(of patient: Patient, path: String, receivedBytes: Int? = nil) -> [ValidationIssue] {
        func mightNotFit(_ encounter: Encounter) -> Bool {
            // The bound from the bytes received costs nothing; walking every string for the exact one
            // was an eighth of a settlement's checks (`medsup-bench edge`), for records far below it.
            if let receivedBytes, Self.upperBound(patient, encounter, receivedBytes: receivedBytes) + Self.envelopeAllowance <= limit {
                return false
            }
            return Self.upperBound(patient, encounter) + Self.envelopeAllowance > limit
        }
        // Encoding costs as much as decoding did: only a record that might not fit is encoded.
        guard patient.fsiEncounterDtos.contains(where: mightNotFit) else { return [] }
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

    /// Whether a record of one encounter, received as `byteCount` bytes, may be stored and carried
    /// as received rather than written anew: no larger than the encoding of its known fields could
    /// be (members the platform does not know cannot make it bigger than that), and its event fits.
    func carriesAsReceived(_ byteCount: Int, _ patient: Patient) -> Bool {
        guard patient.fsiEncounterDtos.count == 1, byteCount + Self.envelopeAllowance <= limit else { return false }
        let encounter = patient.fsiEncounterDtos[0]
        // The check of the record has just walked every string for the upper bound; a record as a
        // HIS sends it is far below the part of that bound the counts give, so the walk is not repeated.
        return byteCount <= Self.keysAndNumbers(patient, encounter) || byteCount <= Self.upperBound(patient, encounter)
    }

    /// The part of `upperBound` that does not depend on the strings' contents: every field's key and
    /// punctuation and every number, from the counts of the records alone. Never more than `upperBound`.
    static func keysAndNumbers(_ patient: Patient, _ encounter: Encounter) -> Int {
        let number = 200 + perField
        let operations = encounter.fsiOperationDtos?.count ?? 0
        let fields = Patient.fieldBounds.count + Encounter.fieldBounds.count + encounter.fsiDiagnoseDtos.count * Diagnosis.fieldBounds.count
            + encounter.fsiOrderDtos.count * Order.fieldBounds.count + operations * Operation.fieldBounds.count
        return fields * perField + (3 + encounter.fsiDiagnoseDtos.count + 3 * encounter.fsiOrderDtos.count) * number
    }

    /// `upperBound` from the size of what the record was read from, without looking at its strings:
    /// their UTF-8 is at most the bytes received (an escape is never shorter than what it stands for,
    /// and members the platform does not know are not kept), each byte written at worst as 6, and a
    /// list element's 4 more fit in its own quotes at 7 a byte. Never less than `upperBound`.
    static func upperBound(_ patient: Patient, _ encounter: Encounter, receivedBytes: Int) -> Int {
        keysAndNumbers(patient, encounter) + 7 * receivedBytes
    }

    /// At most how many bytes the record with this one encounter encodes to: every string field
    /// (`BoundedFields`) escaped at worst (6 bytes per UTF-8 byte), every number at a decimal's
    /// longest, every field's key and punctuation at `perField`.
    static func upperBound(_ patient: Patient, _ encounter: Encounter) -> Int {
        func strings<R: BoundedFields>(_ record: R) -> Int {
            R.fieldBounds.reduce(0) { total, bound in
                switch bound.read(record) {
                case let .text(text): total + (text?.utf8.count ?? 0) * 6 + perField
                case let .list(list): total + (list ?? []).reduce(perField) { $0 + $1.utf8.count * 6 + 4 }
                }
            }
        }
        let number = 200 + perField
        var bytes = strings(patient) + strings(encounter) + 3 * number
        bytes += encounter.fsiDiagnoseDtos.reduce(0) { $0 + strings($1) + number }
        bytes += encounter.fsiOrderDtos.reduce(0) { $0 + strings($1) + 3 * number }
        bytes += (encounter.fsiOperationDtos ?? []).reduce(0) { $0 + strings($1) }
        return bytes
    }

    /// A key (at most 30 characters), its quotes, colon and comma.
    static let perField = 40
}
