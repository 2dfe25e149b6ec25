import Foundation
import ReviewWorkflow

extension Reviewer {
    /// An institution acts only for itself (the `medins` claim of its token); the bureau's posts pass.
    func requireInstitution(_ medins: String) throws {
        guard role == .institution else { return }
        guard medinsID == medins else { throw WorkbenchError.refused("\(user) speaks for \(medinsID ?? "no institution"), not for \(medins)") }
    }

    /// The bureau's posts act in their region, an institution on its own records.
    func requireAccess(medins: String, region: String) throws {
        if role == .institution { try requireInstitution(medins) } else { try requireScope(region) }
    }
}

/// Turns the ledger rules' refusals of bad input into the workbench's `invalid`, naming the field.
func ledgerInput<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as LedgerInputError {
        throw WorkbenchError.invalid(error.description)
    }
}

/// Stored JSON arrays of strings (evidence references), read back leniently.
func stringList(_ json: String?) -> [String]? {
    json.flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) }
}

func jsonText<T: Encodable>(_ value: T) throws -> String { String(decoding: try JSONEncoder().encode(value), as: UTF8.self) }
