import Foundation
import HISContract

/// The checks of one encounter and its fee lines.
struct EncounterValidator {
    let validator: SettlementValidator
    let path: String
    let settling: Bool

    func validate(_ encounter: Encounter) -> [ValidationIssue] {
        var issues = identity(encounter)
        let (admission, discharge) = (time(encounter.admDate, "adm_date", &issues, base: { path }),
                                    time(encounter.dscgDate, "dscg_date", &issues, base: { path }))
        if let admission, let discharge, discharge < admission {
            issues.append(.init("\(path).dscg_date", "discharge \(discharge) is before admission \(admission)"))
        }
        if encounter.fsiOrderDtos.isEmpty && settling { issues.append(.init("\(path).fsi_order_dtos", "a settlement needs at least one fee line")) }
        let lines = encounter.fsiOrderDtos
        let repeated = Duplicates.positions(in: lines.map(\.rxId))
        for (index, order) in lines.enumerated() {
            // Paths are spelt only for a line with an issue: this runs for every line of every claim.
            let where_ = { "\(path).fsi_order_dtos[\(index)]" }
            if repeated.contains(index) { issues.append(.init("\(where_()).rx_id", "'\(order.rxId)' is used twice in this encounter")) }
            issues += line(order, path: where_)
        }
        if !Self.linesAddUp(lines, to: encounter.medfeeSumamt) {
            issues.append(.init("\(path).medfee_sumamt", "\(encounter.medfeeSumamt) differs from the sum of the lines' sumamt \(Self.total(lines))"))
        }
        for (index, diagnosis) in encounter.fsiDiagnoseDtos.enumerated() where diagnosis.diseCodg.isEmpty {
            issues.append(.init("\(path).fsi_diagnose_dtos[\(index)].dise_codg", "is required"))
        }
        return issues
    }

    /// Whether the lines' amounts make the encounter's total: in 64-bit fixed point when every
    /// amount is exact in it, else as `Decimal`s.
    private static func linesAddUp(_ lines: [Order], to total: Decimal) -> Bool {
        ExactAmount.addUp(lines.lazy.map(\.sumamt), to: total) ?? (Self.total(lines) == total)
    }

    private static func total(_ lines: [Order]) -> Decimal { lines.reduce(Decimal(0)) { $0 + $1.sumamt } }

    private func identity(_ encounter: Encounter) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if encounter.mdtrtId.isEmpty { issues.append(.init("\(path).mdtrt_id", "is required")) }
        if encounter.medinsId != validator.institution {
            issues.append(.init("\(path).medins_id", "'\(encounter.medinsId)' is not the institution of this credential (\(validator.institution))"))
        } else if !validator.registry.institutionExists(encounter.medinsId) {
            issues.append(.init("\(path).medins_id", "'\(encounter.medinsId)' is not a designated institution"))
        }
        if !["1", "2", "3"].contains(encounter.medMdtrtType) {
            issues.append(.init("\(path).med_mdtrt_type", "must be \"1\" outpatient, \"2\" inpatient or \"3\" pharmacy, got '\(encounter.medMdtrtType)'"))
        }
        if settling && (encounter.setlId ?? "").isEmpty { issues.append(.init("\(path).setl_id", "is required on a settlement (trig_scen 6, 8, 10)")) }
        if let doctor = encounter.drCodg, !doctor.isEmpty, !validator.registry.practitionerExists(doctor) {
            issues.append(.init("\(path).dr_codg", "'\(doctor)' is not a registered practitioner"))
        }
        return issues
    }

    private func line(_ order: Order, path lazyPath: () -> String) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        var path: String { lazyPath() }
        if order.rxId.isEmpty { issues.append(.init("\(path).rx_id", "is required")) }
        if !["101", "102", "201", "301"].contains(order.hilistType) {
            issues.append(.init("\(path).hilist_type", "must be 101, 102, 201 or 301, got '\(order.hilistType)'"))
        } else if !validator.registry.catalogueKnows(order.hilistCode, type: order.hilistType) {
            issues.append(.init("\(path).hilist_code", "'\(order.hilistCode)' is not in the insurance catalogue"))
        }
        if order.cnt == 0 { issues.append(.init("\(path).cnt", "must not be 0")) }
        if order.pric < 0 { issues.append(.init("\(path).pric", "must not be negative, got \(order.pric)")) }
        if rounded(order.cnt * order.pric) != order.sumamt {
            issues.append(.init("\(path).sumamt", "\(order.sumamt) is not cnt × pric = \(rounded(order.cnt * order.pric))"))
        }
        _ = time(order.feeOcurTime, "fee_ocur_time", &issues, base: lazyPath)
        if order.isDrug && order.cnt > 0 { issues += traceCodes(order, path: lazyPath) }
        return issues
    }

    /// A drug line carries one 20-digit traceability code per dispensed package, each once.
    private func traceCodes(_ order: Order, path lazyPath: () -> String) -> [ValidationIssue] {
        let codes = order.drugTracCodg ?? []
        var issues: [ValidationIssue] = []
        var path: String { lazyPath() }
        if Decimal(codes.count) != order.cnt {
            issues.append(.init("\(path).drug_trac_codg", "has \(codes.count) codes for cnt \(order.cnt): one per package is required"))
        }
        for (index, code) in codes.enumerated() where code.utf8.count != 20 || !code.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) {
            issues.append(.init("\(path).drug_trac_codg[\(index)]", "'\(code)' is not a 20-digit traceability code"))
        }
        if !Duplicates.positions(in: codes).isEmpty { issues.append(.init("\(path).drug_trac_codg", "contains the same code twice")) }
        return issues
    }

    private func time(_ text: String, _ field: String, _ issues: inout [ValidationIssue], base: () -> String) -> CivilDateTime? {
        var where_: String { "\(base()).\(field)" }
        guard text.utf8.count == 19, let value = CivilDateTime(text) else {
            issues.append(.init(where_, "must be yyyy-MM-dd HH:mm:ss, got '\(text)'"))
            return nil
        }
        if value > validator.latestAcceptable {
            issues.append(.init(where_, "\(value) is in the future"))
        }
        return value
    }
}

/// Rounds to 2 decimals, half up (yuan and fen).
func rounded(_ value: Decimal) -> Decimal {
    var input = value, result = Decimal()
    NSDecimalRound(&result, &input, 2, .plain)
    return result
}
