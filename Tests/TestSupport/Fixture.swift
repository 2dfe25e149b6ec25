import Foundation
import HISContract

/// Valid national payloads over reference/kb, for tests to break one field at a time.
public enum Fixture {
    public static let institution = "H43010000001"       // level-3 hospital, Changsha
    public static let person = "43010000000000000001"    // male, born 1961-06-16
    public static let doctor = "D430100000001"
    public static let consult = "110200001"              // 普通门诊诊查费, cap 12 at level 3, once a day
    public static let amoxicillin = "XJ01CA04A00101010140000" // 12.80 a box, trace prefix 8100000

    public static func msgid(_ n: Int) -> String { institution + "20261120093000" + String(format: "%04d", n % 10_000) }

    /// A traceability code of amoxicillin no other test uses.
    public static func traceCode() -> String { "8100000" + String(format: "%013llu", UInt64.random(in: 0..<10_000_000_000_000)) }

    /// A fresh encounter id within the dictionary's 30 characters of mdtrt_id.
    public static func uniqueEncounterID() -> String { "MD" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(26) }

    public static func consultLine(rx: String = "1", count: Decimal = 1) -> Order {
        Order(rxId: rx, hilistCode: consult, hilistType: "201", cnt: count, pric: 12, sumamt: 12 * count, feeOcurTime: "2026-11-20 09:05:00")
    }

    public static func drugLine(rx: String = "2", count: Int = 2) -> Order {
        Order(rxId: rx, hilistCode: amoxicillin, hilistType: "101", cnt: Decimal(count), pric: Decimal(string: "12.80")!,
              sumamt: Decimal(string: "12.80")! * Decimal(count), feeOcurTime: "2026-11-20 09:10:00",
              drugTracCodg: (0..<count).map { _ in traceCode() })
    }

    public static func encounter(_ id: String = uniqueEncounterID(), settlement: String? = "S1", lines: [Order] = [consultLine(), drugLine()]) -> Encounter {
        var encounter = Encounter(mdtrtId: id, setlId: settlement, medinsId: institution, medMdtrtType: "1",
                                  admDate: "2026-11-20 09:00:00", dscgDate: "2026-11-20 09:20:00", dscgMainDiseCodg: "J06.9",
                                  drCodg: doctor, medfeeSumamt: lines.reduce(0) { $0 + $1.sumamt },
                                  fsiDiagnoseDtos: [Diagnosis(diseCodg: "J06.9", maindiseFlag: "1")], fsiOrderDtos: lines)
        encounter.medinsLv = "3"
        return encounter
    }

    /// A pharmacy (P43010000004) and its pharmacist.
    public static let pharmacy = "P43010000004", pharmacist = "Y430100000021"

    /// A pharmacy sale (med_mdtrt_type 3) of two boxes of amoxicillin (prescription-only) at `time`.
    public static func pharmacySale(_ id: String, at time: String, prescriber: String?) -> Encounter {
        var line = drugLine()
        line.feeOcurTime = time
        line.drordDrCodg = prescriber
        var sale = encounter(id, lines: [line])
        sale.medinsId = pharmacy
        sale.medMdtrtType = "3"
        sale.admDate = time
        sale.dscgDate = time
        sale.drCodg = pharmacist
        sale.medinsLv = "0"
        return sale
    }

    public static func patient(_ encounters: [Encounter] = [encounter()], id: String = person, gend: String = "1", brdy: String = "1961-06-16") -> Patient {
        Patient(patnId: id, gend: gend, brdy: brdy, fsiEncounterDtos: encounters)
    }

    public static func request(_ n: Int, infno: String = "3102", scenario: Int = 6, patients: [Patient] = [patient()]) -> HISRequest<ReviewInput> {
        HISRequest(infno: infno, msgid: msgid(n), fixmedinsCode: institution, infTime: "2026-11-20 09:30:00",
                   input: ReviewInput(data: ReviewRequest(trigScen: scenario, patientDtos: patients)))
    }
}
