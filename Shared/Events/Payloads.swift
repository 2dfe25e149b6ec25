import Foundation
import HISContract

/// `claims.accepted` (key `patn_id`): a settlement intake accepted, as the hospital sent it.
/// A correction of the same encounter is a new claim with a higher `version` naming the claim
/// it supersedes; nothing is overwritten.
public struct ClaimAccepted: Codable, Sendable {
    public var claimId: String
    public var version: Int
    public var supersedes: String?
    /// The message that carried it, and the trigger scenario (6, 8, 10).
    public var msgid: String
    public var trigScen: Int
    public var acceptedAt: Date
    /// The patient record with exactly this claim's encounter.
    public var patient: Patient

    public init(claimId: String, version: Int, supersedes: String?, msgid: String, trigScen: Int, acceptedAt: Date, patient: Patient) {
        self.claimId = claimId
        self.version = version
        self.supersedes = supersedes
        self.msgid = msgid
        self.trigScen = trigScen
        self.acceptedAt = acceptedAt
        self.patient = patient
    }

    public var encounter: Encounter { patient.fsiEncounterDtos[0] }

    /// The claim's identity: one per (institution, encounter, settlement).
    public static func claimId(institution: String, encounter: String, settlement: String) -> String {
        "\(institution)/\(encounter)/\(settlement)"
    }

    public var eventID: String { "claim-accepted:\(claimId)" }
}
