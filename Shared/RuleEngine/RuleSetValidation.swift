import Foundation

/// Why a rule set was refused; names the rule and, where relevant, the parameter.
public struct RuleSetError: Error, Equatable, CustomStringConvertible, Sendable {
    public var ruleID: String?
    public var parameter: String?
    public var reason: String

    public var description: String {
        var where_ = ""
        if let ruleID { where_ += "rule \(ruleID)" }
        if let parameter { where_ += (where_.isEmpty ? "" : " ") + "parameter \(parameter)" }
        return where_.isEmpty ? reason : "\(where_): \(reason)"
    }
}

extension RuleSet {
    /// Refuses a rule set that breaks its own schema: non-positive versions, duplicate or empty ids,
    /// unknown patterns, severities outside 1-3, empty legal basis or text, unknown placeholders,
    /// and missing, unknown, wrongly typed or out-of-range parameters.
    public func validate() throws {
        guard version >= 1 else { throw RuleSetError(ruleID: nil, parameter: nil, reason: "rule set version must be >= 1, got \(version)") }
        var seen = Set<String>()
        for rule in rules {
            guard !rule.id.isEmpty else { throw RuleSetError(ruleID: "(empty)", parameter: nil, reason: "rule id is empty") }
            guard seen.insert(rule.id).inserted else { throw RuleSetError(ruleID: rule.id, parameter: nil, reason: "duplicate rule id") }
            try rule.validate()
        }
    }
}

extension Rule {
    func validate() throws {
        func fail(_ parameter: String?, _ reason: String) -> RuleSetError { RuleSetError(ruleID: id, parameter: parameter, reason: reason) }
        guard let schema = PatternCatalog.schemas[pattern] else { throw fail(nil, "unknown pattern '\(pattern)' (expected P01..P23)") }
        guard version >= 1 else { throw fail(nil, "version must be >= 1, got \(version)") }
        guard !legalBasis.isEmpty else { throw fail(nil, "legal basis is empty") }
        guard !explanation.isEmpty else { throw fail(nil, "explanation is empty") }
        for placeholder in ExplanationTemplate.placeholders(in: explanation) where !schema.placeholders.contains(placeholder) {
            throw fail(nil, "explanation uses unknown placeholder {\(placeholder)}; \(pattern) offers \(schema.placeholders.sorted().joined(separator: ", "))")
        }
        for name in parameters.keys.sorted() where schema.parameter(named: name) == nil {
            throw fail(name, "unknown parameter for \(pattern)")
        }
        for spec in schema.parameters {
            guard let value = parameters[spec.name] else {
                if spec.required { throw fail(spec.name, "missing required \(spec.kind.rawValue) parameter") }
                continue
            }
            try spec.check(value).map { throw fail(spec.name, $0) }
        }
    }
}

/// The declared type and range of one parameter of a pattern.
struct ParameterSpec: Sendable {
    enum Kind: String, Sendable { case int, decimal, items }
    var name: String
    var kind: Kind
    var required: Bool = true
    /// Smallest allowed value for numbers.
    var minimum: Decimal = 0

    /// nil when valid, else the reason.
    func check(_ value: RuleParameter) -> String? {
        switch (kind, value) {
        case let (.int, .int(n)), let (.decimal, .int(n)):
            return Decimal(n) >= minimum ? nil : "must be >= \(minimum), got \(n)"
        case let (.decimal, .decimal(d)):
            return d >= minimum ? nil : "must be >= \(minimum), got \(d)"
        case let (.items, .items(items)):
            return items.contains(where: \.isEmpty) ? "item list contains an empty code" : nil
        default:
            return "expected \(kind.rawValue), got \(value.typeName)"
        }
    }
}
