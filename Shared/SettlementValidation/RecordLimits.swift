import Foundation
import HISContract

/// The bounds of the data dictionary applied to a payload, before any other check: a record that
/// breaks one is refused naming the field and its bound, and the other checks do not run on it
/// (their messages quote values, which must not be megabytes long).
///
/// Every string property of the payload types is found by reflection and looked up in
/// `DataDictionary` under its national name, so a field added to the contract is bounded as soon
/// as it has an entry (and the tests fail until it has one).
struct RecordLimits {
    /// Issues of one value (a struct of the contract), its strings and lists of strings.
    static func issues(of value: Any, path: String) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        for child in Mirror(reflecting: value).children {
            guard let property = child.label else { continue }
            let field = snakeCase(property), at = path.isEmpty ? field : "\(path).\(field)"
            switch child.value {
            case let text as String:
                issues += length(text, field: field, path: at)
            case let text as String?:
                if let text { issues += length(text, field: field, path: at) }
            case let list as [String]?:
                guard let list else { continue }
                issues += count(list.count, list: field, path: at)
                for (index, text) in list.enumerated() { issues += length(text, field: field, path: "\(at)[\(index)]") }
            default:
                continue // numbers, dates and nested records (those are walked by the caller)
            }
        }
        return issues
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

    /// A patient record with its encounters, diagnoses, fee lines and operations.
    static func issues(of patient: Patient, path: String) -> [ValidationIssue] {
        var issues = issues(of: patient as Any, path: path)
        issues += count(patient.fsiEncounterDtos.count, list: "fsi_encounter_dtos", path: "\(path).fsi_encounter_dtos")
        for (e, encounter) in patient.fsiEncounterDtos.enumerated() {
            let at = "\(path).fsi_encounter_dtos[\(e)]"
            issues += Self.issues(of: encounter as Any, path: at)
            issues += nested(encounter.fsiDiagnoseDtos, list: "fsi_diagnose_dtos", path: at)
            issues += nested(encounter.fsiOrderDtos, list: "fsi_order_dtos", path: at)
            issues += nested(encounter.fsiOperationDtos ?? [], list: "fsi_operation_dtos", path: at)
        }
        return issues
    }

    private static func nested(_ records: [Any], list: String, path: String) -> [ValidationIssue] {
        var issues = count(records.count, list: list, path: "\(path).\(list)")
        for (index, record) in records.enumerated() { issues += Self.issues(of: record, path: "\(path).\(list)[\(index)]") }
        return issues
    }
}
