import Foundation
import HISContract
import KnowledgeBase
import RuleEngine

/// One generated 3102 settlement with the patterns it must be flagged for (empty: clean).
public struct LabeledSettlement: Sendable {
    /// The patient record with exactly one encounter.
    public var patient: Patient
    public var expectedPatterns: Set<String>
    /// Injected incidents this settlement belongs to (every settlement of a labelled sequence, and the
    /// earlier sale a reused traceability code comes from). Arriving out of order, a history pattern
    /// lands on whichever member comes last, so a shuffled score counts a finding on any member.
    public var incidents: Set<String> = []
    /// The claim id of the earlier version this corrected settlement (new `setl_id`, refund lines) replaces.
    public var supersedes: String?
    /// The settlement time (the encounter's discharge; later for a correction), the order of the stream.
    public var settlementTime: CivilDateTime
    /// A national-style message id: institution code + yyyyMMddHHmmss + 4-digit sequence.
    public var msgid: String

    public var encounter: Encounter { patient.fsiEncounterDtos[0] }
    /// The settlement id, used as claim id by the quality report.
    public var claimID: String { encounter.setlId ?? encounter.mdtrtId }

    /// The engine's view of this settlement.
    public func claim() throws -> Claim { try Claim(patient: patient, encounter: encounter, claimID: claimID, supersedes: supersedes) }
}

/// Settings of a generation run.
public struct GeneratorConfiguration: Sendable {
    public var seed: UInt64
    /// Number of settlements in the stream.
    public var count: Int
    /// Share of slots that inject a violation (or a near-miss decoy of one).
    public var violationRate: Double
    /// Share of history-pattern injections made as near misses that must not be flagged.
    public var decoyRate: Double
    public var start: CivilDate
    /// Days the stream spans (history sequences may start a little earlier).
    public var days: Int
    /// Share of clean encounters settled again as a corrected version (new setl_id, a refund line).
    public var correctionRate: Double

    public init(seed: UInt64 = 1, count: Int = 20_000, violationRate: Double = 0.1, decoyRate: Double = 0.2,
                start: CivilDate = CivilDate(year: 2026, month: 5, day: 1)!, days: Int = 180, correctionRate: Double = 0.04) {
        self.seed = seed
        self.count = count
        self.violationRate = violationRate
        self.decoyRate = decoyRate
        self.start = start
        self.days = days
        self.correctionRate = correctionRate
    }
}

extension GeneratorConfiguration {
    /// A stream of `count` settlements at hospitals' density, about 60 a day over at least 330 days,
    /// ending a few days before `today` (the door refuses settlements from the future). Packed denser,
    /// the generator finds fewer free beds and persons for stays: claims fall below the 8 lines a
    /// claim hospitals send, and a large stream runs past its last day into the future.
    public static func atHospitalDensity(seed: UInt64, count: Int, violationRate: Double, today: CivilDate) -> GeneratorConfiguration {
        let days = max(330, count / 60)
        return GeneratorConfiguration(seed: seed, count: count, violationRate: violationRate, start: today.adding(days: -(days + 3)), days: days)
    }
}

/// A fee line being drafted.
struct DraftLine {
    var code: String
    var name: String
    var isDrug: Bool
    var count: Decimal
    var price: Decimal
    var time: CivilDateTime
    var traceCodes: [String] = []
    /// drord_dr_codg of a pharmacy sale's prescription-only drug (nil: none).
    var prescriber: String? = nil
}

/// A claim being drafted, before ids and sums are assigned.
struct Draft {
    var person: Person
    var claimedSex: Sex
    var claimedBirth: CivilDate
    var institution: Institution
    var kind: EncounterKind
    var admission: CivilDateTime
    var discharge: CivilDateTime
    var doctor: String
    var diagnoses: [String]
    var lines: [DraftLine]
    var expected: Set<String> = []
    var incidents: Set<String> = []
    /// The sale's prescribers are decided (an injected or near-miss prescription): commit leaves them.
    var prescribed = false

    init(person: Person, institution: Institution, kind: EncounterKind, admission: CivilDateTime, discharge: CivilDateTime,
         doctor: String, diagnoses: [String] = [], lines: [DraftLine] = []) {
        self.person = person
        claimedSex = person.sex
        claimedBirth = person.birthDate
        self.institution = institution
        self.kind = kind
        self.admission = admission
        self.discharge = discharge
        self.doctor = doctor
        self.diagnoses = diagnoses
        self.lines = lines
    }

    /// Days whose age limits must hold (admission and discharge).
    var serviceDates: [CivilDate] { [admission.date, discharge.date] }
}
