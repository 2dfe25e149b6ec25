import Foundation
import HISContract

/// The bounds of the data dictionary applied to a payload, before any other check: a record that
/// breaks one is refused naming the field and its bound, and the other checks do not run on it
/// (their messages quote values, which must not be megabytes long).
///
/// Every string property of the payload types is listed in `BoundedFields` and looked up in
/// `DataDictionary` under its national name; a test proves by reflection that the lists are
/// complete, so a field added to the contract fails the tests until it is listed and bounded.
struct RecordLimits {
    /// Issues of a record's own string fields (its nested records are the caller's), at `path`
    /// ("" for the top level).
    static func issues(of record: some BoundedFields, path: String) -> [ValidationIssue] {
        strings(of: record) { path }
    }

    static func count(_ count: Int, list: String, path: String) -> [ValidationIssue] {
        let limit = DataDictionary.count(list)
        return count > limit ? [ValidationIssue(path, "has \(count) elements; at most \(limit) allowed")] : []
    }

    private static func length<R>(_ text: String, _ bound: FieldBound<R>, path: String) -> [ValidationIssue] {
        guard let limit = bound.length else {
            return [ValidationIssue(path, "has no bound in the data dictionary (a defect of the platform; report it)")]
        }
        return [ValidationIssue(path, "is \(text.unicodeScalars.count) characters long; at most \(limit) allowed")]
    }

    /// A patient record with its encounters, diagnoses, fee lines and operations: the bulk path's
    /// unit, checked for every settlement, so walked without reflection (reflection was half of
    /// intake's CPU per claim; `BoundedFields` lists the fields, and a test proves by reflection
    /// that the list is complete). Paths are spelt only for a field that breaks its bound.
    static func issues(of patient: Patient, path: String) -> [ValidationIssue] {
        var issues = strings(of: patient) { path }
        issues += count(patient.fsiEncounterDtos.count, list: "fsi_encounter_dtos", path: "\(path).fsi_encounter_dtos")
        for (e, encounter) in patient.fsiEncounterDtos.enumerated() {
            let at = { "\(path).fsi_encounter_dtos[\(e)]" }
            issues += strings(of: encounter, at)
            issues += nested(encounter.fsiDiagnoseDtos, list: "fsi_diagnose_dtos", path: at)
            issues += nested(encounter.fsiOrderDtos, list: "fsi_order_dtos", path: at)
            issues += nested(encounter.fsiOperationDtos ?? [], list: "fsi_operation_dtos", path: at)
        }
        return issues
    }

    private static func nested(_ records: [some BoundedFields], list: String, path: () -> String) -> [ValidationIssue] {
        var issues = records.count > DataDictionary.count(list) ? count(records.count, list: list, path: "\(path()).\(list)") : []
        for (index, record) in records.enumerated() {
            issues += strings(of: record) { "\(path()).\(list)[\(index)]" }
        }
        return issues
    }

    private static func strings<R: BoundedFields>(of record: R, _ path: () -> String) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func at(_ bound: FieldBound<R>) -> String { path().isEmpty ? bound.name : "\(path()).\(bound.name)" }
        for bound in R.fieldBounds {
            switch bound.read(record) {
            case let .text(text?):
                if bound.exceeded(by: text) { issues += length(text, bound, path: at(bound)) }
            case let .list(list?):
                if list.count > bound.count { issues += count(list.count, list: bound.name, path: at(bound)) }
                for (index, text) in list.enumerated() where bound.exceeded(by: text) {
                    issues += length(text, bound, path: "\(at(bound))[\(index)]")
                }
            case .text(nil), .list(nil):
                continue
            }
        }
        return issues
    }
}
