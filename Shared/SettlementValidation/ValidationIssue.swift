/// One thing wrong with a push, named so a hospital IT team can find it: the record's path in
/// national field names (`patient_dtos[0].fsi_encounter_dtos[1].fsi_order_dtos[3].sumamt`) and
/// what is wrong with it.
public struct ValidationIssue: Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(_ path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// The `err_msg` of a refused call: every issue, the first 50 in full.
public func errorMessage(_ issues: [ValidationIssue]) -> String {
    let shown = issues.prefix(50).map(\.description).joined(separator: "; ")
    return issues.count > 50 ? "\(shown); … and \(issues.count - 50) more" : shown
}

/// A JSON decoding failure as a field-level issue (snake_case path, indices in brackets).
public func issue(from error: DecodingError) -> ValidationIssue {
    func path(_ keys: [CodingKey]) -> String {
        keys.reduce("") { result, key in
            if let index = key.intValue { return result + "[\(index)]" }
            let name = snakeCase(key.stringValue)
            return result.isEmpty ? name : result + "." + name
        }
    }
    switch error {
    case let .keyNotFound(key, context):
        return ValidationIssue(path(context.codingPath + [key]), "is required but missing")
    case let .typeMismatch(type, context):
        return ValidationIssue(path(context.codingPath), "has the wrong type (expected \(describe(type)))")
    case let .valueNotFound(type, context):
        return ValidationIssue(path(context.codingPath), "is null (expected \(describe(type)))")
    case let .dataCorrupted(context):
        let where_ = path(context.codingPath)
        return ValidationIssue(where_.isEmpty ? "body" : where_, context.codingPath.isEmpty ? "is not valid JSON" : context.debugDescription)
    @unknown default:
        return ValidationIssue("body", "cannot be read")
    }
}

private func describe(_ type: Any.Type) -> String {
    let name = String(describing: type)
    switch name {
    case "Decimal", "Int", "FlexibleInt", "Double": return "a number"
    case "String": return "a string"
    default: return name.hasPrefix("Array") ? "a list" : "an object"
    }
}

/// `fixmedinsCode` → `fixmedins_code`: the wire name of a decoded property.
func snakeCase(_ name: String) -> String {
    var result = ""
    for character in name {
        if character.isUppercase {
            result += "_" + character.lowercased()
        } else {
            result.append(character)
        }
    }
    return result
}
