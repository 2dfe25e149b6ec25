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
        strings(record.boundedFields) { path }
    }

    static func count(_ count: Int, list: String, path: String) -> [ValidationIssue] {
        let limit = DataDictionary.count(list)
        return count > limit ? [ValidationIssue(path, "has \(count) elements; at most \(limit) allowed")] : []
    }

    private static func length(_ text: String, field: String, path: String) -> [ValidationIssue] {
        guard let limit = DataDictionary.length(field) else {
            return [ValidationIssue(path, "has no bound in the data dictionary (a defect of the platform; report it)")]
        }
        guard DataDictionary.exceeds(text, limit) else { return [] }
        return [ValidationIssue(path, "is \(text.unicodeScalars.count) characters long; at most \(limit) allowed")]
    }

    /// A patient record with its encounters, diagnoses, fee lines and operations: the bulk path's
    /// unit, checked for every settlement, so walked without reflection (reflection was half of
    /// intake's CPU per claim; `BoundedFields` lists the fields, and a test proves by reflection
    /// that the list is complete). Paths are spelt only for a field that breaks its bound.
    static func issues(of patient: Patient, path: String) -> [ValidationIssue] {
        var issues = strings(patient.boundedFields) { path }
        issues += count(patient.fsiEncounterDtos.count, list: "fsi_encounter_dtos", path: "\(path).fsi_encounter_dtos")
        for (e, encounter) in patient.fsiEncounterDtos.enumerated() {
            let at = { "\(path).fsi_encounter_dtos[\(e)]" }
            issues += strings(encounter.boundedFields, at)
            issues += nested(encounter.fsiDiagnoseDtos, list: "fsi_diagnose_dtos", path: at)
            issues += nested(encounter.fsiOrderDtos, list: "fsi_order_dtos", path: at)
            issues += nested(encounter.fsiOperationDtos ?? [], list: "fsi_operation_dtos", path: at)
        }
        return issues
    }

    private static func nested(_ records: [some BoundedFields], list: String, path: () -> String) -> [ValidationIssue] {
        var issues = records.count > DataDictionary.count(list) ? count(records.count, list: list, path: "\(path()).\(list)") : []
        for (index, record) in records.enumerated() {
            issues += strings(record.boundedFields) { "\(path()).\(list)[\(index)]" }
        }
        return issues
    }

    private static func strings(_ fields: [BoundedField], _ path: () -> String) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func at(_ field: BoundedField) -> String { path().isEmpty ? field.name : "\(path()).\(field.name)" }
        for field in fields {
            switch field.value {
            case let .text(text?):
                if exceedsBound(text, field.name) { issues += length(text, field: field.name, path: at(field)) }
            case let .list(list?):
                let at = at(field)
                if list.count > DataDictionary.count(field.name) { issues += count(list.count, list: field.name, path: at) }
                for (index, text) in list.enumerated() where exceedsBound(text, field.name) {
                    issues += length(text, field: field.name, path: "\(at)[\(index)]")
                }
            case .text(nil), .list(nil):
                continue
            }
        }
        return issues
    }

    /// Cheap first: a field without a bound is an issue too (`length` names it).
    private static func exceedsBound(_ text: String, _ field: String) -> Bool {
        guard let limit = DataDictionary.length(field) else { return true }
        return text.utf8.count > limit && DataDictionary.exceeds(text, limit)
    }
}
